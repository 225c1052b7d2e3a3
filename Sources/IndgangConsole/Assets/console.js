// Indgang console: progressive enhancement only. Without this script every page works; with it, the inbox
// follows the live stream: on each notification it re-fetches the incoming handoffs (the server-rendered
// fragment), swaps them in, updates the unread badge and says what changed in the aria-live region.
(function () {
  'use strict';

  var section = document.getElementById('inkommende');
  if (!section || !window.EventSource || !window.fetch || !window.DOMParser) { return; }

  var fragmentURL = section.getAttribute('data-fragment');
  var live = document.querySelector('[data-live-region]');
  var kinds = ['handoff.requested', 'handoff.accepted', 'handoff.rejected', 'handoff.cancelled', 'handoff.overdue',
    'case.escalated', 'case.readmission', 'case.reoffence', 'case.closed', 'case.contact_requested', 'case.event_retracted'];
  var timer = null;
  var waiting = null;

  function count(element, name) {
    return parseInt(element.getAttribute(name) || '0', 10) || 0;
  }

  // The number as the page wrote it ("over 1.000" above the server's count cap) when there is one.
  function plural(n, one, many, text) {
    return (text || String(n)) + ' ' + (n === 1 ? one : many);
  }

  // Replacing the rows under someone who is typing a rejection reason, or has one open, would lose their work.
  function busy(current) {
    var active = document.activeElement;
    if (active && active !== current && current.contains(active)) { return true; }
    return current.querySelector('details[open]') !== null;
  }

  function announce(before, after) {
    if (!live) { return; }
    var added = count(after, 'data-incoming-count') - count(before, 'data-incoming-count');
    var total = count(after, 'data-incoming-count');
    var overdue = count(after, 'data-overdue-count');
    var text = (added > 0 ? plural(added, 'ny overdragelse', 'nye overdragelser') + '. ' : 'Indbakken er opdateret. ') +
      plural(total, 'overdragelse venter', 'overdragelser venter', after.getAttribute('data-incoming-text')) + ' på jer' +
      (overdue > 0 ? ', heraf ' + (after.getAttribute('data-overdue-text') || overdue) + ' over fristen.' : '.');
    live.textContent = text;
  }

  function updateBadge(unread) {
    var badges = document.querySelectorAll('[data-unread-badge]');
    for (var i = 0; i < badges.length; i++) {
      var number = badges[i].querySelector('[data-unread-count]');
      if (number) { number.textContent = String(unread); }
      badges[i].hidden = unread === 0;
    }
  }

  function apply(fresh) {
    var current = document.getElementById('inkommende');
    if (!current) { return; }
    if (busy(current)) {
      waiting = fresh;
      return;
    }
    waiting = null;
    var adopted = document.importNode(fresh, true);
    current.parentNode.replaceChild(adopted, current);
    updateBadge(count(adopted, 'data-unread'));
    announce(current, adopted);
  }

  function refresh() {
    timer = null;
    window.fetch(fragmentURL, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
      .then(function (response) {
        if (!response.ok) { throw new Error('HTTP ' + response.status); }
        return response.text();
      })
      .then(function (html) {
        var parsed = new DOMParser().parseFromString(html, 'text/html');
        var fresh = parsed.getElementById('inkommende');
        if (fresh) { apply(fresh); }
      })
      .catch(function () {
        if (live) { live.textContent = 'Indbakken kunne ikke opdateres. Genindlæs siden for at se nye overdragelser.'; }
      });
  }

  // Several notifications often arrive together (a handoff and its overdue mark): one fetch for them all.
  function schedule() {
    if (timer === null) { timer = window.setTimeout(refresh, 300); }
  }

  // Once the user leaves the section, apply what arrived while they were busy.
  document.addEventListener('focusout', function () {
    window.setTimeout(function () {
      if (waiting) { apply(waiting); }
    }, 0);
  });
  document.addEventListener('toggle', function () {
    if (waiting) { apply(waiting); }
  }, true);

  var stream = new EventSource('/console/stream');
  for (var i = 0; i < kinds.length; i++) { stream.addEventListener(kinds[i], schedule); }
  stream.addEventListener('message', schedule);
})();
