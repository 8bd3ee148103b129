"""The one tabular reader of GovLens: CSV text and Excel workbooks to rows, with the safety limits
(and the line end of the CSV files GovLens writes).

Every layer reads spreadsheets and CSV files through it (framework workbooks, index data, public datasets,
offline questionnaires, Kobo/ODK exports), so every layer gets the same values, the same encodings and
delimiters, and the same limits. It sits below the framework layer and imports no other GovLens module.
"""

from govlens.tabular.limit import column_letters
from govlens.tabular.model import SPREADSHEET_ERROR, UNCOMPUTED_FORMULA, Book, Limits, Sheet, TooLarge, Unreadable
from govlens.tabular.read import WORKBOOK_SUFFIXES, content_kind, read_table, read_workbook
from govlens.tabular.text import DELIMITERS, decoded, delimiter, read_csv
from govlens.tabular.write import FORMULA_PREFIXES, LINE_END, neutralise, write_frame
from govlens.tabular.xlsx import unpacked_too_large

__all__ = [
    "DELIMITERS",
    "FORMULA_PREFIXES",
    "LINE_END",
    "SPREADSHEET_ERROR",
    "UNCOMPUTED_FORMULA",
    "WORKBOOK_SUFFIXES",
    "Book",
    "Limits",
    "Sheet",
    "TooLarge",
    "Unreadable",
    "column_letters",
    "content_kind",
    "decoded",
    "delimiter",
    "neutralise",
    "read_csv",
    "read_table",
    "read_workbook",
    "unpacked_too_large",
    "write_frame",
]
