// The checker page: findings beside the text. Clicking a finding or its mark scrolls to and
// flashes the other; the keyboard walks the findings (J/K), accepts (A, Shift+A for every
// finding of a mechanical rule), dismisses (D, a reason, Enter) and opens the text (E).
// Actions are the page's own form buttons, so the server stays the one place that edits
// text and keeps the dismissed fingerprints; after the reload the next finding is selected.
"use strict";

(function () {
  const form = document.getElementById("checker");
  const list = document.getElementById("findings");
  if (!form || !list) return;
  let current = null;

  const open = () => Array.from(list.querySelectorAll("li.finding:not(.dismissed)"));
  const markOf = (li) => document.getElementById("m-" + li.dataset.n);
  const itemOf = (mark) => document.getElementById("f-" + mark.dataset.n);

  function flash(el) {
    el.classList.remove("pulse");
    void el.offsetWidth; // restart the animation
    el.classList.add("pulse");
  }

  function select(li, { flashMark = false, flashItem = false, scroll = true } = {}) {
    if (!li) return;
    if (current) {
      current.classList.remove("current");
      const old = markOf(current);
      if (old) old.classList.remove("current");
    }
    current = li;
    li.classList.add("current");
    li.focus({ preventScroll: true });
    if (scroll) li.scrollIntoView({ block: "nearest" });
    const mark = markOf(li);
    if (mark) {
      mark.classList.add("current");
      if (scroll) mark.scrollIntoView({ block: "center" });
      if (flashMark) flash(mark);
    }
    if (flashItem) flash(li);
  }

  function step(delta) {
    const all = open();
    if (!all.length) return;
    const i = all.indexOf(current);
    const next = i < 0 ? 0 : Math.min(Math.max(i + delta, 0), all.length - 1);
    select(all[next], { flashMark: true });
  }

  // Submit with one of the current finding's buttons; the finding after it is selected next.
  function act(button) {
    if (!button) return;
    const all = open();
    const i = all.indexOf(current);
    const after = all[i + 1] || all[i - 1];
    form.elements.cursor.value = after ? after.dataset.fp : "";
    form.requestSubmit(button);
  }

  function dismiss(li) {
    const reason = li.querySelector("input.reason");
    if (!reason) return;
    if (!reason.value.trim()) {
      reason.classList.add("required");
      reason.focus();
      return;
    }
    act(li.querySelector("button.dismiss"));
  }

  list.addEventListener("click", (event) => {
    const li = event.target.closest("li.finding");
    if (!li || event.target.closest("button, input")) return;
    select(li, { flashMark: true });
  });

  document.getElementById("article").addEventListener("click", (event) => {
    const mark = event.target.closest("mark[data-n]");
    const li = mark && itemOf(mark);
    if (!li) return;
    const group = li.closest("details");
    if (group) group.open = true;
    select(li, { flashItem: true });
  });

  list.addEventListener("keydown", (event) => {
    const reason = event.target.closest("input.reason");
    if (!reason) return;
    const li = reason.closest("li.finding");
    if (event.key === "Enter") {
      event.preventDefault();
      select(li);
      dismiss(li);
    } else if (event.key === "Escape") {
      event.preventDefault();
      select(li);
    }
  });

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) {
      if (event.key === "Enter" && event.target.id === "submit-text") {
        form.requestSubmit(document.getElementById("recheck"));
      }
      return;
    }
    if (event.target.closest("input, textarea, select")) {
      if (event.key === "Escape" && event.target.id === "submit-text") {
        event.target.blur();
        select(current || open()[0]);
      }
      return;
    }
    const key = event.key;
    let handled = true;
    if (key === "j" || key === "n" || key === "ArrowDown") step(1);
    else if (key === "k" || key === "p" || key === "ArrowUp") step(-1);
    else if (key === "a" && current) act(current.querySelector("button.accept"));
    else if (key === "A" && current) act(current.querySelector("button.accept-all") || current.querySelector("button.accept"));
    else if (key === "d" && current) dismiss(current);
    else if (key === "Enter" && current) select(current, { flashMark: true });
    else if (key === "e") {
      const edit = document.getElementById("edit");
      edit.open = true;
      document.getElementById("submit-text").focus();
    } else handled = false;
    if (handled) event.preventDefault();
  });

  const wanted = list.dataset.cursor;
  const start = (wanted && open().find((li) => li.dataset.fp === wanted)) || open()[0];
  // After an action the page comes back at the next finding; a fresh check starts at the top.
  if (start) select(start, { scroll: Boolean(wanted) });
})();
