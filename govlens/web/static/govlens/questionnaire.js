// Questionnaire page: every answer is saved on its own as the user leaves its field, and nothing is dropped.
//
// - A question whose field was left is queued; the queue is sent one question per request, each based on the
//   version at which the page last learned that question's value, so the server refuses (409) only when that
//   very question changed meanwhile. An invalid answer comes back with its message beside the field and stays
//   on screen; it never blocks the other questions.
// - Queued changes are kept in localStorage until the server has them: when the server cannot be reached they
//   are retried with a growing delay (and at once when the browser is back online), and after a reload or a
//   crash they are put back into the page and sent again.
// - The status bar (sticky) says saved / saving / not saved yet and how many answers need attention, with links.
// - Leaving the page with changes not yet saved asks first.
// The server is the only evaluator of skip logic: after a change the page asks it which questions to show.
(function () {
  "use strict";
  var form = document.getElementById("questionnaire");
  if (!form) { return; }
  var editable = form.dataset.editable === "1";
  var state = document.getElementById("autosave-state");
  var attention = document.getElementById("attention");
  var attentionCount = document.getElementById("attention-count");
  var attentionLinks = document.getElementById("attention-links");
  var versionField = document.getElementById("id_version");
  var versionText = document.getElementById("response-version");
  var storeKey = "govlens-unsaved:" + (form.dataset.key || location.pathname);
  var loadedVersion = parseInt(versionField.value, 10);
  var base = {};        // question -> the version its value on the page is based on
  var dirty = {};       // question -> true: typed into, field not left yet
  var queue = [];       // questions to send, in order
  var inflight = null;  // the question being sent
  var retryDelay = 0;
  var retryTimer = null;
  var stopped = false;  // after a conflict: no more saves until the user has chosen

  function blockOf(element) { return element && element.closest ? element.closest("[data-question]") : null; }
  function block(name) { return form.querySelector('[data-question="' + name + '"]'); }
  function csrf() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function baseOf(name) { return base[name] !== undefined ? base[name] : loadedVersion; }

  function say(text, kind) {
    if (!state) { return; }
    state.textContent = text;
    state.className = kind || "";
    state.dataset.state = kind || "";
  }

  // -- what is unsaved survives a reload ----------------------------------------------------------------------
  function readStore() {
    try { return JSON.parse(window.localStorage.getItem(storeKey) || "{}") || {}; } catch (e) { return {}; }
  }
  function writeStore(items) {
    try {
      if (Object.keys(items).length) { window.localStorage.setItem(storeKey, JSON.stringify(items)); }
      else { window.localStorage.removeItem(storeKey); }
    } catch (e) { /* private mode or full: the in-page queue still holds the change */ }
  }
  function entriesOf(name) {
    var entries = [];
    new FormData(form).forEach(function (value, key) {
      if (key === "a_" + name || key === "c_" + name || key === "e_" + name) { entries.push([key, value]); }
    });
    return entries;
  }
  function remember(name) {
    var items = readStore();
    items[name] = { version: baseOf(name), entries: entriesOf(name) };
    writeStore(items);
  }
  function forget(name) {
    var items = readStore();
    delete items[name];
    writeStore(items);
  }
  function restore() {
    var items = readStore();
    Object.keys(items).forEach(function (name) {
      var holder = block(name);
      if (!holder) { return; }
      var entries = items[name].entries || [];
      ["a_", "c_", "e_"].forEach(function (prefix) {
        var values = entries.filter(function (e) { return e[0] === prefix + name; }).map(function (e) { return e[1]; });
        holder.querySelectorAll('[name="' + prefix + name + '"]').forEach(function (input) {
          if (input.type === "radio" || input.type === "checkbox") { input.checked = values.indexOf(input.value) >= 0; }
          else if (values.length) { input.value = values[0]; }
        });
      });
      base[name] = items[name].version;
      enqueue(name);
    });
  }

  // -- the status bar -----------------------------------------------------------------------------------------
  function refreshAttention() {
    var names = [];
    form.querySelectorAll("[data-problems-for]").forEach(function (list) {
      if (list.children.length) { names.push(list.dataset.problemsFor); }
    });
    if (!attention) { return; }
    attention.hidden = names.length === 0;
    var template = names.length === 1 ? attentionCount.dataset.one : attentionCount.dataset.many;
    attentionCount.textContent = (template || "{count}").replace("{count}", names.length);
    attentionLinks.textContent = "";
    names.forEach(function (name) {
      var link = document.createElement("a");
      var holder = block(name);
      link.href = "#question-" + name;
      link.textContent = holder && holder.dataset.number ? holder.dataset.number : name;
      var legend = holder ? holder.querySelector("legend") : null;
      if (legend) { link.title = legend.textContent.trim(); }
      attentionLinks.appendChild(link);
      attentionLinks.appendChild(document.createTextNode(" "));
    });
  }

  function showProblems(name, messages) {
    var list = form.querySelector('[data-problems-for="' + name + '"]');
    var holder = block(name);
    if (list) {
      list.textContent = "";
      messages.forEach(function (message) {
        var item = document.createElement("li");
        item.textContent = message;
        list.appendChild(item);
      });
    }
    if (holder) { holder.classList.toggle("invalid", messages.length > 0); }
    refreshAttention();
  }

  function setVersion(version) {
    versionField.value = version;
    if (versionText) { versionText.textContent = version; }
    document.querySelectorAll(".version-mirror").forEach(function (input) { input.value = version; });
  }

  function busy() { return inflight !== null || queue.length > 0 || Object.keys(dirty).length > 0; }

  // -- sending ------------------------------------------------------------------------------------------------
  function enqueue(name) {
    delete dirty[name];
    if (queue.indexOf(name) < 0 && inflight !== name) { queue.push(name); }
    remember(name);
    window.setTimeout(flush, 0);
  }

  function body(name) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", csrf());
    data.append("version", String(baseOf(name)));
    data.append("q", name);
    entriesOf(name).forEach(function (entry) { data.append(entry[0], entry[1]); });
    return data;
  }

  function retryLater() {
    retryDelay = Math.min(retryDelay ? retryDelay * 2 : 2, 30);
    var text = (form.dataset.offlineText || "offline").replace("{seconds}", retryDelay);
    say(text, "offline");
    window.clearTimeout(retryTimer);
    retryTimer = window.setTimeout(function () { retryTimer = null; flush(); }, retryDelay * 1000);
  }

  function conflict(name, message) {
    stopped = true;
    say((form.dataset.conflictText || message) + " ", "conflict");
    var button = document.createElement("button");
    button.type = "button";
    button.id = "compare-button";
    button.textContent = form.dataset.compareText || "Compare";
    button.addEventListener("click", function () { compare(name); });
    state.appendChild(button);
  }

  // The 409 page (server-rendered) shows both values and lets the user choose: post the change as a plain form.
  function compare(name) {
    var plain = document.createElement("form");
    plain.method = "post";
    plain.action = form.action;
    body(name).forEach(function (value, key) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = key;
      input.value = value;
      plain.appendChild(input);
    });
    var section = form.querySelector("input[name=section]");
    if (section) { plain.appendChild(section.cloneNode()); }
    forget(name);
    queue = [];
    document.body.appendChild(plain);
    leaving = true;
    plain.submit();
  }

  function flush() {
    if (stopped || inflight !== null || retryTimer !== null || !queue.length) {
      if (!busy() && !stopped && retryTimer === null) { say(form.dataset.savedText + " · v" + versionField.value, "saved"); }
      return;
    }
    var name = queue.shift();
    inflight = name;
    say(form.dataset.savingText || "…", "saving");
    fetch(form.action, {
      method: "POST",
      body: body(name),
      credentials: "same-origin",
      keepalive: true,
      headers: { "Accept": "application/json", "X-CSRFToken": csrf() }
    }).then(function (reply) {
      return reply.json().then(function (answer) { return { status: reply.status, body: answer }; },
        function () { return { status: reply.status, body: null }; });
    }).then(function (result) {
      inflight = null;
      if (result.status === 200 && result.body) {
        retryDelay = 0;
        setVersion(result.body.version);
        var messages = (result.body.problems || []).filter(function (p) { return p.question === name; })
          .map(function (p) { return p.message; });
        if (!messages.length) { base[name] = result.body.version; }
        showProblems(name, messages);
        // an invalid answer stays remembered (and on screen) until it is fixed: nothing typed is dropped
        if (queue.indexOf(name) < 0 && !messages.length) { forget(name); }
      } else if (result.status === 409 && result.body && result.body.error.code === "version_conflict") {
        conflict(name, result.body.error.message);
        return;
      } else if (result.status >= 500 || result.status === 0 || !result.body) {
        if (queue.indexOf(name) < 0) { queue.unshift(name); }
        retryLater();
        return;
      } else {  // refused for good (locked, not allowed): say why; the change stays on screen
        say(result.body.error.message, "invalid");
        forget(name);
        return;
      }
      flush();
    }).catch(function () {  // no network: keep it, try again later
      inflight = null;
      if (queue.indexOf(name) < 0) { queue.unshift(name); }
      retryLater();
    });
  }

  // -- skip logic ---------------------------------------------------------------------------------------------
  function applyRelevance(names) {
    var shown = {};
    names.forEach(function (name) { shown[name] = true; });
    form.querySelectorAll("[data-question]").forEach(function (holder) {
      var visible = !!shown[holder.dataset.question];
      holder.hidden = !visible;
      holder.classList.toggle("skipped", !visible);
    });
  }
  function relevance() {
    var data = new FormData(form);
    fetch(form.dataset.relevanceUrl, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf() }
    }).then(function (reply) { return reply.json(); }).then(function (answer) {
      if (answer.relevant) { applyRelevance(answer.relevant); }
    }).catch(function () { /* offline: the page keeps its current branches */ });
  }

  // -- events -------------------------------------------------------------------------------------------------
  var leaving = false;
  refreshAttention();
  if (!editable) { return; }

  form.addEventListener("input", function (event) {
    var holder = blockOf(event.target);
    if (holder && event.target.type !== "radio" && event.target.type !== "checkbox") {
      dirty[holder.dataset.question] = true;
    }
  });
  // "change" fires when a text field is left after typing, and at once for options: the moment to save.
  form.addEventListener("change", function (event) {
    var holder = blockOf(event.target);
    if (!holder || event.target.type === "file") { return; }
    enqueue(holder.dataset.question);
    relevance();
  });
  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (submitter && submitter.getAttribute("formaction")) { leaving = true; return; }  // e.g. use a suggestion
    event.preventDefault();  // "Save draft": send whatever is typed, question by question
    Object.keys(dirty).forEach(enqueue);
    retryDelay = 0;
    window.clearTimeout(retryTimer);
    retryTimer = null;
    flush();
  });
  var submitForm = document.getElementById("submit-form");
  if (submitForm) {
    submitForm.addEventListener("submit", function (event) {
      if (!busy()) { leaving = true; return; }
      event.preventDefault();  // save first, then submit
      Object.keys(dirty).forEach(enqueue);
      var wait = window.setInterval(function () {
        if (stopped) { window.clearInterval(wait); return; }
        if (!busy()) { window.clearInterval(wait); leaving = true; submitForm.submit(); }
      }, 200);
    });
  }
  window.addEventListener("online", function () {
    window.clearTimeout(retryTimer);
    retryTimer = null;
    retryDelay = 0;
    flush();
  });
  window.addEventListener("beforeunload", function (event) {
    if (leaving || !busy()) { return; }
    event.preventDefault();
    event.returnValue = form.dataset.leaveText || "";
    return form.dataset.leaveText || "";
  });
  restore();
})();
