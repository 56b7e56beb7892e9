// Sitewatch portal client: draws chart options from the API with ECharts, sorts tables, sends actions with the CSRF token, and runs the ask box.
/* global window, document, fetch, URL, Element */
(function () {
  'use strict';
  var csrf = document.body.getAttribute('data-csrf') || '';

  /** fetch() with the session cookie and, for state-changing calls, the CSRF token. */
  function api(method, url, body) {
    var headers = { accept: 'application/json' };
    if (method !== 'GET') headers['x-csrf-token'] = csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(url, {
      method: method,
      headers: headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(function (res) {
      return res.json().then(function (data) {
        if (!res.ok) throw new Error(data && data.error ? data.error : 'HTTP ' + res.status);
        return data;
      });
    });
  }
  window.sitewatch = { api: api };

  var charts = {};
  // A canvas draws with the fonts loaded at that moment and never redraws: load the Chinese font first.
  var fontReady =
    document.fonts && document.fonts.load
      ? document.fonts.load('14px "Noto Sans SC"', '告警').catch(function () {})
      : Promise.resolve();

  /** Draw option `option` into element `el` (the same option the PNG renderer draws). */
  function draw(el, option) {
    if (!window.echarts) return;
    return fontReady.then(function () {
      var chart = charts[el.id] || (charts[el.id] = window.echarts.init(el));
      chart.setOption(option, { notMerge: true });
      el.setAttribute('data-drawn', '1');
    });
  }
  window.sitewatch.draw = draw;

  /** Elements with data-chart-src: fetch {charts: {elementId: option}} and draw each. */
  function loadCharts(url) {
    return api('GET', url).then(function (data) {
      var drawn = Object.keys(data.charts || {}).map(function (id) {
        var el = document.getElementById(id);
        return el ? draw(el, data.charts[id]) : null;
      });
      return Promise.all(drawn).then(function () {
        return data;
      });
    });
  }
  window.sitewatch.loadCharts = loadCharts;

  function initCharts() {
    var seen = {};
    document.querySelectorAll('[data-chart-src]').forEach(function (el) {
      var src = el.getAttribute('data-chart-src');
      if (seen[src]) return;
      seen[src] = true;
      loadCharts(src).catch(function (e) {
        el.textContent = e.message;
      });
    });
  }

  /** Click a th.sortable to sort its table by that column (numbers by data-value when present). */
  function initSorting() {
    document.querySelectorAll('table').forEach(function (table) {
      var heads = table.querySelectorAll('th.sortable');
      heads.forEach(function (th, idx) {
        th.addEventListener('click', function () {
          var col = Array.prototype.indexOf.call(th.parentNode.children, th);
          var asc = th.getAttribute('aria-sort') !== 'ascending';
          heads.forEach(function (h) {
            h.removeAttribute('aria-sort');
          });
          th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
          var body = table.tBodies[0];
          var rows = Array.prototype.slice.call(body.rows);
          rows.sort(function (a, b) {
            var x = a.cells[col],
              y = b.cells[col];
            var xv = x.getAttribute('data-value'),
              yv = y.getAttribute('data-value');
            var r;
            if (xv !== null && yv !== null) r = Number(xv) - Number(yv);
            else r = x.textContent.localeCompare(y.textContent, 'zh-CN');
            return asc ? r : -r;
          });
          rows.forEach(function (r) {
            body.appendChild(r);
          });
        });
        void idx;
      });
    });
  }

  /** Range picker: redraw the server charts for the chosen range from the metrics API, no reload. */
  function initRangePicker() {
    document.querySelectorAll('.range-picker[data-metrics-src]').forEach(function (picker) {
      var base = picker.getAttribute('data-metrics-src');
      picker.querySelectorAll('button[data-range]').forEach(function (btn) {
        btn.addEventListener('click', function () {
          var range = btn.getAttribute('data-range');
          picker.setAttribute('aria-busy', 'true');
          loadCharts(base + '?range=' + encodeURIComponent(range))
            .then(function () {
              picker.querySelectorAll('button[data-range]').forEach(function (b) {
                b.className = b === btn ? 'on' : '';
              });
              var url = new URL(window.location.href);
              url.searchParams.set('range', range);
              window.history.replaceState(null, '', url.pathname + url.search + url.hash);
            })
            .catch(function (e) {
              picker.setAttribute('title', e.message);
            })
            .then(function () {
              picker.removeAttribute('aria-busy');
            });
        });
      });
    });
  }

  /** Buttons acting on the server: acknowledge an alarm, cancel a silence. */
  function initActions() {
    document.addEventListener('click', function (ev) {
      var btn =
        ev.target instanceof Element ? ev.target.closest('button.ack, button.unsilence') : null;
      if (!btn || btn.disabled) return;
      var id = btn.getAttribute('data-id');
      var ack = btn.classList.contains('ack');
      btn.disabled = true;
      var url = ack
        ? '/api/alarms/' + encodeURIComponent(id) + '/ack'
        : '/api/silences/' + encodeURIComponent(id) + '/cancel';
      api('POST', url)
        .then(function (res) {
          var span = document.createElement('span');
          if (ack) {
            span.className = 'acked';
            var text = btn.getAttribute('data-acked-text') || '{name}';
            span.textContent = text.replace('{name}', res.ackedByName);
          } else {
            span.className = 'muted';
            span.textContent = btn.getAttribute('data-done-text') || res.outcome;
          }
          btn.parentNode.replaceChild(span, btn);
        })
        .catch(function (e) {
          btn.disabled = false;
          btn.setAttribute('title', e.message);
          window.alert(e.message);
        });
    });
  }

  /** The silence form: post it to the API, then show the page again with the new silence. */
  function initSilenceForm() {
    var form = document.getElementById('silence-form');
    if (!form) return;
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var msg = form.querySelector('.form-msg');
      var name = form.elements.namedItem('name').value.trim();
      var body = {
        site: form.elements.namedItem('site').value,
        minutes: Number(form.elements.namedItem('minutes').value),
      };
      if (name) body.name = name;
      api('POST', '/api/silences', body)
        .then(function () {
          window.location.reload();
        })
        .catch(function (e) {
          if (msg) msg.textContent = e.message;
        });
    });
  }

  var echartsLoading = null;
  /** ECharts, loaded on demand where the page did not include it (an ask-box answer may hold a chart). */
  function loadEcharts() {
    if (window.echarts) return Promise.resolve();
    if (!echartsLoading) {
      echartsLoading = new Promise(function (resolve, reject) {
        var script = document.createElement('script');
        script.src = '/static/vendor/echarts.min.js';
        script.onload = function () {
          resolve();
        };
        script.onerror = function () {
          echartsLoading = null;
          reject(new Error('echarts'));
        };
        document.head.appendChild(script);
      });
    }
    return echartsLoading;
  }

  /** Forget the charts drawn inside `root` (an ask-box entry being removed). */
  function disposeCharts(root) {
    root.querySelectorAll('[id]').forEach(function (el) {
      if (!charts[el.id]) return;
      charts[el.id].dispose();
      delete charts[el.id];
    });
  }

  /** The ask box's answers shown at once. */
  var ASK_KEEP = 10;

  /**
   * The ask box (问一问) of every page: post the question to /api/ask, show the texts as text (line
   * breaks kept) and draw the charts from their options, the way the page charts are drawn.
   */
  function initAsk() {
    var form = document.getElementById('ask-form');
    var panel = document.getElementById('ask-answer');
    if (!form || !panel) return;
    var list = document.getElementById('ask-log');
    var input = form.elements.namedItem('text');
    var button = form.querySelector('button[type="submit"]');
    var asked = 0;

    function show(box, answer, n) {
      box.textContent = '';
      var drawn = [];
      (answer.replies || []).forEach(function (r, i) {
        if (r.kind === 'chart') {
          var el = document.createElement('div');
          el.className = 'chart small ask-chart';
          el.id = 'ask-chart-' + n + '-' + i;
          el.setAttribute('role', 'img');
          el.setAttribute('aria-label', r.alt);
          box.appendChild(el);
          drawn.push(
            loadEcharts()
              .then(function () {
                return draw(el, r.option);
              })
              .catch(function () {
                el.textContent = r.alt;
              }),
          );
        } else {
          var p = document.createElement('div');
          p.className = 'ask-text';
          p.textContent = r.text;
          box.appendChild(p);
        }
      });
      if (answer.omitted) {
        var more = document.createElement('div');
        more.className = 'muted';
        more.textContent = (form.getAttribute('data-omitted') || '{n}').replace(
          '{n}',
          String(answer.omitted),
        );
        box.appendChild(more);
      }
      return Promise.all(drawn);
    }

    document.getElementById('ask-clear').addEventListener('click', function () {
      disposeCharts(list);
      list.textContent = '';
      panel.hidden = true;
    });

    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var question = input.value.trim();
      if (!question || form.getAttribute('aria-busy') === 'true') return;
      var n = ++asked;
      var entry = document.createElement('div');
      entry.className = 'ask-entry';
      var q = document.createElement('div');
      q.className = 'ask-q';
      q.textContent = question;
      var box = document.createElement('div');
      box.className = 'ask-a';
      box.textContent = form.getAttribute('data-busy') || '';
      entry.appendChild(q);
      entry.appendChild(box);
      list.appendChild(entry);
      while (list.children.length > ASK_KEEP) {
        disposeCharts(list.firstElementChild);
        list.removeChild(list.firstElementChild);
      }
      panel.hidden = false;
      form.setAttribute('aria-busy', 'true');
      button.disabled = true;
      api('POST', '/api/ask', { text: question })
        .then(function (answer) {
          input.value = '';
          return show(box, answer, n);
        })
        .catch(function (e) {
          box.className = 'ask-a error';
          box.textContent = (form.getAttribute('data-failed') || '{message}').replace(
            '{message}',
            e.message,
          );
        })
        .then(function () {
          form.removeAttribute('aria-busy');
          entry.setAttribute('data-done', '1');
          button.disabled = false;
          input.focus();
          entry.scrollIntoView({ block: 'nearest' });
        });
    });
  }

  window.addEventListener('resize', function () {
    Object.keys(charts).forEach(function (k) {
      charts[k].resize();
    });
  });
  document.addEventListener('DOMContentLoaded', function () {
    initSorting();
    initCharts();
    initRangePicker();
    initActions();
    initSilenceForm();
    initAsk();
  });
})();
