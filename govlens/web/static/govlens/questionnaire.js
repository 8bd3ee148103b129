// Questionnaire page: autosave of drafts and skip logic mirrored from the server.
// The server is the only evaluator of the XLSForm expressions: after a change the page asks it which
// questions the current (unsaved) answers show, so the page and the saved response never disagree.
(function () {
  "use strict";
  var form = document.getElementById("questionnaire");
  if (!form || form.dataset.editable !== "1") { return; }
  var state = document.getElementById("autosave-state");
  var versionField = document.getElementById("id_version");
  var versionText = document.getElementById("response-version");
  var timer = null;
  var saving = false;
  var pending = false;

  function csrf() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function say(text, kind) {
    if (!state) { return; }
    state.textContent = text;
    state.className = kind || "";
  }

  function post(url) {
    return fetch(url, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf() }
    });
  }

  function applyRelevance(names) {
    var shown = {};
    names.forEach(function (name) { shown[name] = true; });
    form.querySelectorAll("[data-question]").forEach(function (block) {
      var visible = !!shown[block.dataset.question];
      block.hidden = !visible;
      block.classList.toggle("skipped", !visible);
    });
  }

  function showProblems(problems) {
    form.querySelectorAll("[data-problems-for]").forEach(function (list) { list.textContent = ""; });
    (problems || []).forEach(function (problem) {
      var list = form.querySelector('[data-problems-for="' + problem.question + '"]');
      if (list) {
        var item = document.createElement("li");
        item.textContent = problem.message;
        list.appendChild(item);
      }
    });
  }

  function setVersion(version) {
    versionField.value = version;
    if (versionText) { versionText.textContent = version; }
    document.querySelectorAll(".version-mirror").forEach(function (input) { input.value = version; });
  }

  function save() {
    if (saving) { pending = true; return; }
    saving = true;
    say(form.dataset.savingText || "…", "saving");
    post(form.action).then(function (reply) {
      return reply.json().then(function (body) { return { status: reply.status, body: body }; });
    }).then(function (result) {
      if (result.status === 200) {
        setVersion(result.body.version);
        showProblems([]);
        say("✓ v" + result.body.version, "saved");
      } else if (result.status === 409) {
        say(result.body.error.message, "conflict");
        form.dataset.editable = "0";  // stop autosaving over someone else's work; the user reloads
      } else {
        showProblems(result.body.error.details.problems);
        say(result.body.error.message, "invalid");
      }
    }).catch(function () {
      say(form.dataset.offlineText || "offline", "invalid");
    }).then(function () {
      saving = false;
      if (pending) { pending = false; save(); }
    });
  }

  function changed() {
    post(form.dataset.relevanceUrl).then(function (reply) { return reply.json(); }).then(function (body) {
      if (body.relevant) { applyRelevance(body.relevant); }
    });
    if (form.dataset.editable !== "1") { return; }
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 800);
  }

  form.addEventListener("change", changed);
  form.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA" || event.target.type === "text" || event.target.type === "url") {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, 1500);
    }
  });
})();
