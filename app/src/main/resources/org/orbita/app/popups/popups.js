/* Orbita pop-ups: served per site with its published pop-ups in C (app/tracking/PopupScripts); each variant drawn in a sandboxed frame. */
(function (w, d, C) {
  'use strict';
  var o = w.orbita;
  if (!o || !o.loaded || o.popups) return;
  var t0 = w.performance && performance.now ? performance.now() : 0;
  var byId = {}, open = null, armed = [], shownOnPage = {}, eligible = null, lastInput = Date.now(), counted = null;
  C.popups.forEach(function (p) { byId[p.id] = p; });
  function load(store, key) { try { return JSON.parse(store.getItem(key) || 'null'); } catch (e) { return null; } }
  function keep(store, key, v) { try { store.setItem(key, JSON.stringify(v)); } catch (e) { /* storage blocked: counted for this page only */ } }
  var ls = null, ss = null;
  try { ls = w.localStorage; ss = w.sessionStorage; } catch (e) { ls = ss = null; }
  // what one browser saw (functional storage: how often each pop-up was shown, never who the visitor is) and what this visit saw
  var state = (ls && load(ls, 'orbita_p')) || { p: {} }, sess = ss && load(ss, 'orbita_ps');
  if (!sess) { sess = { pages: 0, shown: 0, last: 0, seen: {}, returning: !!state.first }; state.first = state.first || Date.now(); }
  function save() { if (!C.preview) { if (ls) keep(ls, 'orbita_p', state); if (ss) keep(ss, 'orbita_ps', sess); } }

  function mobile() { return (w.matchMedia && w.matchMedia('(max-width: 767px)').matches) || /Mobi|Android/i.test(navigator.userAgent); }
  function pageMatches(r, url) {
    if (r.match === 'equals') return url === r.value || w.location.pathname === r.value;
    if (r.match === 'matches') { try { return new RegExp(r.value).test(url); } catch (e) { return false; } }
    return url.indexOf(r.value) >= 0;
  }
  function where(p) {
    var url = w.location.href, t = p.trigger, inc = t.urls.filter(function (r) { return !r.exclude; });
    if (t.urls.some(function (r) { return r.exclude && pageMatches(r, url); })) return false;
    if (inc.length && !inc.some(function (r) { return pageMatches(r, url); })) return false;
    if (t.device === 'mobile' && !mobile()) return false;
    if (t.device === 'desktop' && mobile()) return false;
    if (t.visitor === 'new' && sess.returning) return false;
    if (t.visitor === 'returning' && !sess.returning) return false;
    if (t.pages && sess.pages < t.pages) return false;
    return true;
  }
  function due(p) {
    var s = state.p[p.id] || {}, f = p.frequency;
    if (C.preview) return true;
    if (f.stopAfterConversion && s.converted) return false;
    if (f.mode === 'once') return !s.at;
    if (f.mode === 'session') return !sess.seen[p.id];
    if (f.mode === 'interval') return !s.at || Date.now() - s.at >= f.minutes * 60000;
    return !shownOnPage[p.id];
  }
  function budget() {
    if (C.preview) return true;
    if (C.budget.perSession > 0 && sess.shown >= C.budget.perSession) return false;
    return !sess.last || Date.now() - sess.last >= C.budget.gapSeconds * 1000;
  }
  function pick(p) {
    var s = state.p[p.id] || {}, chosen = null;
    p.variants.forEach(function (v) { if (v.id === s.v && v.weight > 0) chosen = v; });
    if (chosen) return chosen;
    var total = 0, r;
    p.variants.forEach(function (v) { total += v.weight; });
    r = Math.random() * total;
    for (var i = 0; i < p.variants.length; i++) { r -= p.variants[i].weight; if (r < 0 || i === p.variants.length - 1) { chosen = p.variants[i]; break; } }
    return chosen;
  }
  function record(p, v, action, label) {
    if (C.preview) return;
    o._hit({ kind: 'popup', action: action, popup: p.id, variant: v.id, label: label || undefined, url: w.location.href });
  }
  var CSS = ':host{all:initial}.bg{position:fixed;inset:0;background:rgba(17,24,39,.5);z-index:2147483000;display:flex;align-items:center;'
    + 'justify-content:center}.box{position:fixed;z-index:2147483001;background:#fff;box-shadow:0 10px 40px rgba(0,0,0,.3);overflow:hidden}'
    + '.modal{position:relative;border-radius:10px;max-width:calc(100vw - 24px);max-height:90vh}.slide-in{border-radius:10px;max-width:calc(100vw - 32px)}'
    + '.bar{left:0;right:0;max-height:40vh;display:flex;align-items:center}.bar .x{position:static;flex:0 0 32px;margin:0 8px}.bar iframe{flex:1 1 auto;min-width:0}'
    + '.full-screen{inset:0}iframe{display:block;border:0;width:100%;height:100%}'
    + '.x{position:absolute;top:6px;right:6px;width:32px;height:32px;border:0;border-radius:16px;background:rgba(255,255,255,.85);'
    + 'font:20px/32px sans-serif;color:#111;cursor:pointer;padding:0;z-index:2}.x:focus-visible{outline:2px solid #4f46e5}';
  function show(p, manual) {
    if (open || !p) return false;
    if (!manual && (!due(p) || !budget())) return false;
    var v = pick(p), host = d.createElement('div'), root = host.attachShadow ? host.attachShadow({ mode: 'open' }) : host;
    var style = d.createElement('style'), frame = d.createElement('iframe'), box = d.createElement('div'), x = d.createElement('button'), bg = null;
    style.textContent = CSS;
    root.appendChild(style);
    host.setAttribute('data-orbita-popup', p.id);
    box.className = 'box ' + p.kind;
    box.setAttribute('role', 'dialog');
    box.setAttribute('aria-label', p.name);
    if (p.kind === 'modal' || p.kind === 'full-screen') box.setAttribute('aria-modal', 'true');
    var width = v.width || (p.kind === 'slide-in' ? 360 : 480);
    if (p.kind === 'modal' || p.kind === 'slide-in') box.style.width = width + 'px';
    if (p.kind === 'slide-in') { var at = p.position.split('-'); box.style[at[0]] = '16px'; box.style[at[1]] = '16px'; }
    if (p.kind === 'bar') box.style[p.position] = '0';
    frame.setAttribute('sandbox', 'allow-scripts allow-forms allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation');
    frame.setAttribute('title', p.name);
    frame.style.height = p.kind === 'full-screen' ? '100%' : (p.kind === 'bar' ? '56px' : '160px'); // till the frame says its height
    frame.srcdoc = v.doc;
    x.className = 'x';
    x.setAttribute('aria-label', (navigator.language || '').indexOf('ru') === 0 ? 'Закрыть' : 'Close');
    x.textContent = '\u00d7';
    if (p.kind === 'bar') { box.appendChild(frame); box.appendChild(x); } else { box.appendChild(x); box.appendChild(frame); }
    if (p.kind === 'modal') { bg = d.createElement('div'); bg.className = 'bg'; bg.appendChild(box); root.appendChild(bg); } else root.appendChild(box);
    (d.body || d.documentElement).appendChild(host);
    open = { p: p, v: v, host: host, frame: frame, converted: false };
    x.addEventListener('click', function () { close('closed'); });
    if (bg) bg.addEventListener('click', function (e) { if (e.target === bg) close('closed'); });
    var s = state.p[p.id] = state.p[p.id] || {};
    s.v = v.id; s.at = Date.now();
    sess.seen[p.id] = 1; sess.shown++; sess.last = Date.now(); shownOnPage[p.id] = 1;
    save();
    record(p, v, 'shown');
    setTimeout(function () { try { x.focus({ preventScroll: true }); } catch (e) { /* old browsers */ } }, 0);
    return true;
  }
  function close(why) {
    if (!open) return;
    var was = open;
    open = null;
    if (was.host.parentNode) was.host.parentNode.removeChild(was.host);
    if (why === 'closed' && !was.converted) record(was.p, was.v, 'closed');
  }
  function converted(label) {
    var now = open;
    if (!now || now.converted) return;
    now.converted = true;
    (state.p[now.p.id] = state.p[now.p.id] || {}).converted = true;
    save();
    record(now.p, now.v, 'converted', label);
    if (label === 'consent:accept') o('consent', { analytics: true });
    else if (label === 'consent:decline') o('consent', { analytics: false });
    if (label !== 'form') close('converted'); // a form stays to say thank you
  }
  w.addEventListener('message', function (e) {
    if (!open || e.source !== open.frame.contentWindow || !e.data || typeof e.data.orbitaPopup !== 'object') return;
    var m = e.data.orbitaPopup;
    if (m.action === 'close') close('closed');
    else if (m.action === 'convert') converted(String(m.label || '').substring(0, 100));
    else if (m.action === 'size' && open.p.kind !== 'full-screen' && m.height > 0) {
      open.frame.style.height = Math.min(+m.height, Math.round(w.innerHeight * (open.p.kind === 'bar' ? 0.4 : 0.9))) + 'px';
    }
  });
  d.addEventListener('keydown', function (e) { if (e.key === 'Escape' && open) close('closed'); });

  function arm() {
    armed.forEach(function (a) { a(); });
    armed = [];
    C.popups.forEach(function (p) {
      var t = p.trigger;
      if (t.on === 'manual' || !where(p) || (t.segment && (!eligible || eligible.indexOf(p.id) < 0))) return;
      if (t.on === 'load') { show(p); return; }
      if (t.on === 'delay') { var id = setTimeout(function () { show(p); }, t.seconds * 1000); armed.push(function () { clearTimeout(id); }); return; }
      if (t.on === 'inactivity') {
        var check = setInterval(function () { if (Date.now() - lastInput >= t.seconds * 1000) { clearInterval(check); show(p); } }, 500);
        armed.push(function () { clearInterval(check); }); return;
      }
      var on = t.on === 'scroll' ? function () {
        var el = d.documentElement, h = el.scrollHeight - w.innerHeight;
        if ((h <= 0 ? 100 : 100 * (w.scrollY || el.scrollTop) / h) >= t.percent && show(p)) off();
      } : function (e) { if (!e.relatedTarget && e.clientY <= 0 && show(p)) off(); };
      var target = t.on === 'scroll' ? w : d, type = t.on === 'scroll' ? 'scroll' : 'mouseout';
      function off() { target.removeEventListener(type, on); }
      target.addEventListener(type, on, { passive: true });
      armed.push(off);
      if (t.on === 'scroll') on();
    });
  }
  function page() { if (counted === w.location.href) return; counted = w.location.href; sess.pages++; shownOnPage = {}; save(); arm(); }
  ['mousemove', 'keydown', 'scroll', 'touchstart'].forEach(function (t) { w.addEventListener(t, function () { lastInput = Date.now(); }, { passive: true }); });
  // show: now, whatever its rules (a button of the page); offer: as its frequency and the site's budget allow (a tag)
  o.popups = function (cmd, id) { if (cmd === 'show' || cmd === 'offer') return show(byId[id], cmd === 'show'); if (cmd === 'close') close('closed'); return false; };
  o.on(function (type) { if (type === 'page') page(); });
  var targeted = C.popups.some(function (p) { return p.trigger.segment; }), v = o.visitor();
  if (targeted && v && w.fetch) {
    w.fetch(C.eligible + '?visitor=' + encodeURIComponent(v)).then(function (r) { return r.ok ? r.json() : { popups: [] }; })
      .then(function (b) { eligible = b.popups || []; arm(); }, function () { eligible = []; });
  }
  page();
  if (C.preview && C.popups[0]) show(C.popups[0], true);
  (o.popupQueue || []).forEach(function (q) { o.popups(q[0], q[1]); });
  o.popupQueue = [];
  if (t0 && performance.measure) { try { performance.measure('orbita-popups', { start: t0 }); } catch (e) { /* old browsers */ } }
})(window, document, /*CONFIG*/{});
