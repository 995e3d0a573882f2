"use strict";
// Filters and the details panel. Every policy string reaches the page through textContent,
// never innerHTML. The filter state lives in the URL hash (#role=..&event=..&suppressed=1
// &cell=ROW,COL) so a view can be linked to and reloaded.
(function () {
  const data = JSON.parse(document.getElementById("pim-data").textContent);
  // Each row carries the answers it is the first to show in its <tbody>; together they are
  // that body's answers, in the order of its cells' `data-a`.
  const answersOf = new Map();
  document.querySelectorAll("#grid tbody").forEach((tbody) => {
    const rowsOfBody = Array.from(tbody.querySelectorAll("tr"));
    answersOf.set(tbody, rowsOfBody.flatMap((tr) => JSON.parse(tr.dataset.answers || "[]")));
  });
  const roleBox = document.getElementById("filter-role");
  const eventBox = document.getElementById("filter-event");
  const suppressedBox = document.getElementById("filter-suppressed");
  const rows = Array.from(document.querySelectorAll("#grid tbody tr"));
  const columns = Array.from(document.querySelectorAll("#grid thead th.ev"));
  const details = document.getElementById("details");
  const body = document.getElementById("details-body");
  let selected = null;

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function applyFilters() {
    const roleQuery = roleBox.value.trim().toLowerCase();
    const eventQuery = eventBox.value.trim().toLowerCase();
    const hiddenColumns = new Set();
    columns.forEach((th, e) => {
      const hide = eventQuery !== "" && !data.events[e].id.toLowerCase().includes(eventQuery);
      th.hidden = hide;
      if (hide) hiddenColumns.add(e);
    });
    let shownRows = 0;
    rows.forEach((tr, r) => {
      const role = data.roles[r];
      const text = (role.name + " " + (role.id || "")).toLowerCase();
      const cells = Array.from(tr.querySelectorAll("td"));
      cells.forEach((td, e) => { td.hidden = hiddenColumns.has(e); });
      const hasSuppressed = cells.some((td, e) => !hiddenColumns.has(e) && td.classList.contains("sup"));
      const hide = (roleQuery !== "" && !text.includes(roleQuery)) || (suppressedBox.checked && !hasSuppressed);
      tr.hidden = hide;
      if (!hide) shownRows += 1;
    });
    document.getElementById("shown").textContent =
      shownRows + " of " + rows.length + " roles, " + (columns.length - hiddenColumns.size) + " of " + columns.length + " events shown";
    saveState();
  }

  function show(r, e) {
    const role = data.roles[r], event = data.events[e], cell = answerAt(r, e);
    if (selected) selected.classList.remove("selected");
    selected = rows[r].querySelectorAll("td")[e];
    selected.classList.add("selected");
    body.replaceChildren();
    body.append(el("h2", role.name), el("p", event.id + " — " + event.title + (event.critical ? " (critical)" : ""), "reason"));
    body.append(el("h3", cell.recipients.length + " recipient(s)"));
    const list = el("ul", undefined, "recipients");
    cell.recipients.forEach((n) => {
      const item = el("li");
      item.append(el("strong", n.address), el("span", " " + n.kind, "kind"));
      const reasons = el("ul");
      n.reasons.forEach((text) => reasons.append(el("li", text, "reason")));
      item.append(reasons);
      list.append(item);
    });
    body.append(list);
    if (cell.suppressed.length > 0) {
      body.append(el("h3", "Not notified"));
      const skipped = el("ul", undefined, "suppressed");
      cell.suppressed.forEach((s) => skipped.append(el("li", s.audience + " (" + s.setting + "): " + s.text)));
      body.append(skipped);
    }
    details.hidden = false;
    saveState();
  }

  function hide() {
    details.hidden = true;
    if (selected) selected.classList.remove("selected");
    selected = null;
    saveState();
  }

  function saveState() {
    const state = new URLSearchParams();
    if (roleBox.value) state.set("role", roleBox.value);
    if (eventBox.value) state.set("event", eventBox.value);
    if (suppressedBox.checked) state.set("suppressed", "1");
    if (selected) state.set("cell", selected.dataset.r + "," + selected.dataset.e);
    const hash = state.toString();
    if (location.hash.slice(1) !== hash) history.replaceState(null, "", hash ? "#" + hash : location.pathname);
  }

  function loadState() {
    const state = new URLSearchParams(location.hash.slice(1));
    roleBox.value = state.get("role") || "";
    eventBox.value = state.get("event") || "";
    suppressedBox.checked = state.get("suppressed") === "1";
    applyFilters();
    const cell = (state.get("cell") || "").split(",").map(Number);
    if (cell.length === 2 && answerAt(cell[0], cell[1])) show(cell[0], cell[1]);
  }

  // Each cell names its answer (`data-a`) in its body: alike cells share one entry.
  function answerAt(r, e) {
    const td = rows[r] && rows[r].querySelectorAll("td")[e];
    return td ? answersOf.get(td.closest("tbody"))[Number(td.dataset.a)] : undefined;
  }

  // Tooltips are built on first hover, so the page does not carry every text twice.
  function tooltip(r, e) {
    const cell = answerAt(r, e);
    const lines = [data.roles[r].name + " — " + data.events[e].id];
    const names = cell.recipients.slice(0, 8).map((n) => n.address);
    if (names.length === 0) lines.push("Nobody is notified.");
    else lines.push(cell.recipients.length + " recipient(s): " + names.join(", ") + (cell.recipients.length > 8 ? ", …" : ""));
    cell.suppressed.forEach((s) => lines.push("not " + s.audience + ": " + s.text));
    lines.push("Click for the reasons.");
    return lines.join("\n");
  }

  document.getElementById("grid").addEventListener("mouseover", (event) => {
    const td = event.target.closest("td.c");
    if (td && !td.title) td.title = tooltip(Number(td.dataset.r), Number(td.dataset.e));
  });
  document.getElementById("grid").addEventListener("click", (event) => {
    const td = event.target.closest("td.c");
    if (td) show(Number(td.dataset.r), Number(td.dataset.e));
  });
  document.getElementById("grid").addEventListener("keydown", (event) => {
    const td = event.target.closest("td.c");
    if (td && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); show(Number(td.dataset.r), Number(td.dataset.e)); }
  });
  document.getElementById("close").addEventListener("click", hide);
  document.addEventListener("keydown", (event) => { if (event.key === "Escape") hide(); });
  [roleBox, eventBox].forEach((box) => box.addEventListener("input", applyFilters));
  suppressedBox.addEventListener("change", applyFilters);
  loadState();
})();
