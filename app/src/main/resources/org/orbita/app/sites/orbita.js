/* Orbita site tracking: served per site with its settings in C (app/tracking/SiteCollection); no dependencies. Loads the site's tag containers (tags.js). */
(function (w, d, C) {
  'use strict';
  if (!w.JSON || (w.orbita && w.orbita.loaded)) return;
  var ls = null;
  try { ls = w.localStorage; ls.getItem('orbita_v'); } catch (e) { ls = null; }
  var IDLE = 30 * 60 * 1000, BATCH = 10, WAIT = 1000, KEPT = 20;
  var queue = [], held = [], timer = 0, lastUrl = null, pageGoals = {}, maxScroll = 0, timers = [];
  var state = { consent: C.consent === 'opt-in' ? get('orbita_c') === 'granted' : get('orbita_c') !== 'denied' };
  var mem = {}, listeners = [];

  function get(k) { try { return ls ? ls.getItem(k) : mem[k] || null; } catch (e) { return null; } }
  function set(k, v) { if (!state.consent) return; try { if (ls) ls.setItem(k, v); else mem[k] = v; } catch (e) { /* storage full or blocked */ } }
  function del(k) { try { if (ls) ls.removeItem(k); delete mem[k]; } catch (e) { /* blocked */ } }
  function rand(n) {
    var a = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-', out = '', b = new Uint8Array(n);
    (w.crypto || w.msCrypto).getRandomValues(b);
    for (var i = 0; i < n; i++) out += a.charAt(b[i] & 63);
    return out;
  }
  function emit(type, data) { listeners.forEach(function (f) { try { f(type, data); } catch (e) { /* a listener's own error */ } }); }
  function visitor() { var v = get('orbita_v'); if (!v) { v = rand(22); set('orbita_v', v); } return v; }
  function session(now) {
    var s = null;
    try { s = JSON.parse(get('orbita_s') || 'null'); } catch (e) { s = null; }
    var utm = /[?&]utm_campaign=([^&]*)/.exec(w.location.search), camp = utm ? utm[1] : null;
    var fresh = !s || now - s.last > IDLE || (camp && camp !== s.camp);
    if (fresh) s = { id: rand(16), camp: camp };
    s.last = now;
    set('orbita_s', JSON.stringify(s));
    return { id: s.id, start: fresh };
  }
  function hit(h) {
    var now = Date.now(), s = session(now);
    h.id = now.toString(36) + rand(10);
    h.time = now;
    h.session = s.id;
    if (s.start) h.sessionStart = true;
    if (!h.url) h.url = w.location.href;
    queue.push(h);
    if (!state.consent) { if (queue.length > 100) queue.shift(); return; }
    if (queue.length >= BATCH) flush(false); else if (!timer) timer = setTimeout(function () { flush(false); }, WAIT);
  }
  function body(hits) {
    return JSON.stringify({ visitor: visitor(), consent: state.consent, language: navigator.language,
      screen: w.screen ? w.screen.width + 'x' + w.screen.height : null, hits: hits });
  }
  function keep(batch) {
    var kept = [];
    try { kept = JSON.parse(get('orbita_q') || '[]'); } catch (e) { kept = []; }
    kept.push(batch);
    set('orbita_q', JSON.stringify(kept.slice(-KEPT)));
  }
  function send(payload, leaving) {
    if (leaving && navigator.sendBeacon && navigator.sendBeacon(C.endpoint, new Blob([payload], { type: 'text/plain' }))) return;
    if (!w.fetch) { var x = new XMLHttpRequest(); x.open('POST', C.endpoint); x.setRequestHeader('Content-Type', 'text/plain'); x.send(payload); return; }
    w.fetch(C.endpoint, { method: 'POST', body: payload, keepalive: leaving, headers: { 'Content-Type': 'text/plain' } })
      .then(function (r) { if (r.status >= 500 || r.status === 429) keep(payload); })
      .catch(function () { keep(payload); });
  }
  function flush(leaving) {
    clearTimeout(timer); timer = 0;
    if (!state.consent || !queue.length) return;
    var hits = queue.splice(0, queue.length);
    while (hits.length) send(body(hits.splice(0, 50)), leaving);
  }
  function retry() {
    if (!state.consent || (navigator.onLine === false)) return;
    var kept = get('orbita_q');
    if (!kept) return;
    del('orbita_q');
    try { JSON.parse(kept).forEach(function (p) { send(p, false); }); } catch (e) { /* a damaged store is dropped */ }
  }
  function goal(g) { if (pageGoals[g.id]) return; pageGoals[g.id] = 1; hit({ kind: 'goal', goal: g.id }); }
  function goals(kind, test) { (C.goals || []).forEach(function (g) { if (g.kind === kind && test(g)) goal(g); }); }
  function pageMatches(g, url) {
    if (g.match === 'equals') return url === g.rule || w.location.pathname === g.rule;
    if (g.match === 'regex') { try { return new RegExp(g.rule).test(url); } catch (e) { return false; } }
    return url.indexOf(g.rule) >= 0;
  }
  function page() {
    var url = w.location.href, referrer = lastUrl || d.referrer;
    if (url === lastUrl) return;
    lastUrl = url; pageGoals = {}; maxScroll = 0;
    timers.forEach(clearTimeout); timers = [];
    hit({ kind: 'page', title: d.title, referrer: referrer });
    emit('page', url);
    goals('page', function (g) { return pageMatches(g, url); });
    (C.goals || []).forEach(function (g) {
      if (g.kind === 'time') timers.push(setTimeout(function () { goal(g); }, 1000 * g.rule));
    });
  }
  function identify(identity, traits) {
    if (!identity || typeof identity !== 'object') return;
    var was = get('orbita_id'), now = JSON.stringify(identity);
    if (was && was !== now) reset(); // another person on this browser: never joined to the one before
    set('orbita_id', now);
    hit({ kind: 'identify', identity: identity, traits: traits || undefined });
    flush(false);
  }
  function reset() {
    flush(false);
    ['orbita_v', 'orbita_s', 'orbita_id', 'orbita_q'].forEach(del);
  }
  function consent(c) {
    var yes = c && (c.analytics === true || c.analytics_storage === 'granted');
    var no = c && (c.analytics === false || c.analytics_storage === 'denied');
    if (yes) { state.consent = true; set('orbita_c', 'granted'); flush(false); retry(); }
    else if (no) { state.consent = false; queue = []; reset(); try { if (ls) ls.setItem('orbita_c', 'denied'); } catch (e) { /* blocked */ } }
    emit('consent', c);
  }
  var api = function (cmd, a, b) {
    if (cmd === 'page') page();
    else if (cmd === 'track' && typeof a === 'string') {
      hit({ kind: 'event', name: a, properties: b || undefined });
      goals('event', function (g) { return g.rule === a; });
      emit('track', { name: a, properties: b });
    } else if (cmd === 'identify') identify(a, b);
    else if (cmd === 'consent') consent(a);
    else if (cmd === 'reset') reset();
    else if (cmd === 'popup' && api.popups) api.popups(a, b);
    else if (cmd === 'popup') { (api.popupQueue = api.popupQueue || []).push([a, b]); popups(); }
  };
  var popupsLoading = false;
  function popups() { if (!popupsLoading && C.popups) { popupsLoading = true; load(C.tags + '/popups.js'); } }
  api.loaded = true;
  api.consentGiven = function () { return state.consent; };
  api.visitor = function () { return state.consent ? visitor() : null; };
  api.on = function (f) { listeners.push(f); };
  api.consentMode = C.consent;
  api.lastPage = function () { return lastUrl; };
  api._hit = hit; // for the site's own modules (pop-ups): a hit as the snippet sends it
  var pending = (w.orbita && w.orbita.q) || [];
  w.orbita = api;

  function wrap(name) {
    var orig = history[name];
    if (!orig) return;
    history[name] = function () { var r = orig.apply(this, arguments); setTimeout(page, 0); return r; };
  }
  wrap('pushState'); wrap('replaceState');
  w.addEventListener('popstate', function () { page(); });
  d.addEventListener('click', function (e) {
    var t = e.target;
    goals('click', function (g) { try { return t && t.closest && t.closest(g.rule); } catch (x) { return false; } });
  }, true);
  d.addEventListener('submit', function (e) {
    var t = e.target;
    goals('submit', function (g) { try { return t && t.matches && t.matches(g.rule); } catch (x) { return false; } });
  }, true);
  w.addEventListener('scroll', function () {
    var el = d.documentElement, h = el.scrollHeight - w.innerHeight;
    var pct = h <= 0 ? 100 : Math.round(100 * (w.scrollY || el.scrollTop) / h);
    if (pct <= maxScroll) return;
    maxScroll = pct;
    goals('scroll', function (g) { return pct >= +g.rule; });
  }, { passive: true });
  d.addEventListener('visibilitychange', function () { if (d.visibilityState === 'hidden') flush(true); });
  w.addEventListener('pagehide', function () { flush(true); });
  w.addEventListener('online', retry);
  function unparam(name) {
    var m = new RegExp('[?&]' + name + '=([A-Za-z0-9_.-]+)').exec(w.location.search);
    if (!m) return null;
    try {
      history.replaceState(history.state, '', w.location.href.replace(new RegExp('([?&])' + name + '=[^&#]*&?'), '$1').replace(/[?&](#|$)/, '$1'));
    } catch (e) { /* a page that forbids it keeps the parameter */ }
    return m[1];
  }
  // a click from a message: the link carried who it was sent to; identify them, then take it out of the address bar
  var carried = unparam('_orb');
  if (carried) hit({ kind: 'identify', token: carried });
  // a preview link from the tag manager: this tab runs that container's draft instead of its published version
  var preview = unparam('orbita_preview');
  try { if (preview) w.sessionStorage.setItem('orbita_preview', preview); else preview = w.sessionStorage.getItem('orbita_preview'); } catch (e) { /* blocked */ }
  for (var i = 0; i < pending.length; i++) api.apply(null, pending[i]);
  function load(src) { var s = d.createElement('script'); s.async = 1; s.src = src; (d.head || d.documentElement).appendChild(s); }
  (C.containers || []).forEach(function (c) { if (!preview || preview.split('.')[0] !== c.id) load(C.tags + '/c/' + c.id + '/' + c.version + '.js'); });
  if (preview) load(C.tags + '/c/preview.js?token=' + encodeURIComponent(preview));
  // a pop-up's preview link: this tab shows that pop-up as it is now, and no other
  var popupPreview = unparam('orbita_popup');
  try { if (popupPreview) w.sessionStorage.setItem('orbita_popup', popupPreview); else popupPreview = w.sessionStorage.getItem('orbita_popup'); } catch (e) { /* blocked */ }
  if (popupPreview) { popupsLoading = true; load(C.tags + '/popups/preview.js?token=' + encodeURIComponent(popupPreview)); } else popups();
  retry();
})(window, document, /*CONFIG*/{});
