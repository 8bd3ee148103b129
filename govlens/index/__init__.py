"""index layer of GovLens (core: never imports govlens.web or govlens.cli)."""
