// The trace viewer's behaviour: select a step (click, arrow keys, Home/End),
// show the whole state after it with changes and the breaking values marked,
// and draw arrows from out-of-order accesses to their place in program order.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('mmx-data').textContent);
  var rows = Array.prototype.slice.call(document.querySelectorAll('#trace tr.step'));
  var last = rows.length - 1;
  var current = -1;

  function valuesOf(sections) {
    var m = {};
    sections.forEach(function (s) {
      s.rows.forEach(function (r) { m[s.title + '\u0000' + r.key] = r.value; });
    });
    return m;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function stateTitle(i) {
    if (i === 0) { return 'initial state'; }
    var row = rows[i];
    var who = document.querySelectorAll('#trace thead th.cpu')[Number(row.dataset.thread)];
    return 'after step ' + i + (who ? ' (' + who.textContent + ')' : '');
  }

  function renderState(i) {
    var body = document.getElementById('state-body');
    body.textContent = '';
    document.getElementById('state-title').textContent = data.perStep ? stateTitle(i) : 'final state';
    var sections, before = null;
    if (data.perStep) {
      sections = data.states[i];
      before = i > 0 ? valuesOf(data.states[i - 1]) : null;
    } else {
      sections = data.states[0];
      body.appendChild(el('p', 'old', 'This trace was saved without the state after each step; '
        + 'only the final state is known.'));
    }
    var atEnd = i === last || !data.perStep;
    // one table, so the values line up across sections
    var table = el('table');
    sections.forEach(function (s) {
      var head = el('tr', 'section');
      head.appendChild(el('th', null, s.title)).colSpan = 2;
      table.appendChild(head);
      s.rows.forEach(function (r) {
        var tr = el('tr');
        tr.dataset.key = r.key;
        var old = before ? before[s.title + '\u0000' + r.key] : undefined;
        if (before && old !== r.value) {
          tr.classList.add('changed');
        }
        if (atEnd && data.breaking.indexOf(r.key) >= 0) {
          tr.classList.add('breaking');
        }
        tr.appendChild(el('th', null, r.key));
        var td = el('td', null, r.value);
        if (tr.classList.contains('changed') && old !== undefined) {
          td.appendChild(el('span', 'was', 'was ' + old));
        }
        tr.appendChild(td);
        table.appendChild(tr);
      });
    });
    body.appendChild(table);
  }

  function select(i, scroll) {
    i = Math.max(0, Math.min(last, i));
    if (i === current) { return; }
    if (current >= 0) { rows[current].classList.remove('selected'); }
    current = i;
    rows[i].classList.add('selected');
    if (scroll) { rows[i].scrollIntoView({block: 'nearest'}); }
    renderState(i);
  }

  rows.forEach(function (row, i) {
    row.addEventListener('click', function () { select(i, true); });
  });

  document.addEventListener('keydown', function (e) {
    var moves = {ArrowDown: 1, ArrowRight: 1, j: 1, ArrowUp: -1, ArrowLeft: -1, k: -1};
    if (e.key in moves) {
      select(current + moves[e.key], true);
    } else if (e.key === 'Home') {
      select(0, true);
    } else if (e.key === 'End') {
      select(last, true);
    } else {
      return;
    }
    e.preventDefault();
  });

  // An arrow down the left edge of the thread's column, from the access that
  // was performed early to the row where it sits in program order.
  function drawArrows() {
    var wrap = document.getElementById('trace-wrap');
    var old = document.getElementById('arrows');
    if (old) { old.remove(); }
    var notes = document.querySelectorAll('#trace .note[data-arrow-to]');
    if (notes.length === 0) { return; }
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.id = 'arrows';
    svg.setAttribute('width', wrap.offsetWidth);
    svg.setAttribute('height', wrap.offsetHeight);
    svg.innerHTML = '<defs><marker id="head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
      + 'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#2563eb"/></marker></defs>';
    var origin = wrap.getBoundingClientRect();
    Array.prototype.forEach.call(notes, function (note) {
      var from = note.closest('td');
      var target = document.getElementById('step-' + note.dataset.arrowTo);
      if (!target) { return; }
      var to = target.children[from.cellIndex];
      var a = from.getBoundingClientRect(), b = to.getBoundingClientRect();
      var x = a.left - origin.left + 4;
      var y1 = a.top - origin.top + a.height / 2, y2 = b.top - origin.top + b.height / 2;
      var path = document.createElementNS(ns, 'path');
      path.setAttribute('d', 'M' + (x + 10) + ',' + y1 + ' C' + (x - 14) + ',' + y1 + ' ' + (x - 14) + ','
        + y2 + ' ' + (x + 10) + ',' + y2);
      path.setAttribute('marker-end', 'url(#head)');
      svg.appendChild(path);
    });
    wrap.appendChild(svg);
  }

  window.addEventListener('resize', drawArrows);
  drawArrows();
  var fromHash = /^#step-(\d+)$/.exec(location.hash);
  select(fromHash ? Number(fromHash[1]) : last, !!fromHash);
}());
