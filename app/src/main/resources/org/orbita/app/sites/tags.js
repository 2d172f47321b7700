/* Orbita tag manager: one published version of a container (or its draft, in preview), its content in C; loaded by orbita.js. */
(function (w, d, C) {
  'use strict';
  var o = w.orbita;
  if (!o || !o.on || !w.JSON) return;
  var dl = w.dataLayer = w.dataLayer || [];
  var model = {}, firedOnPage = {}, waiting = [], granted = {}, pageTimers = [], observers = [], passed = {}, log = [];
  var CATS = ['analytics', 'marketing', 'functional', 'personalization'];
  var store = null;
  try { store = w.localStorage; } catch (e) { store = null; }

  /* ---- consent: categories granted, from orbita('consent', …), gtag('consent', …) or what was chosen before ---- */
  var saved = null;
  try { saved = JSON.parse((store && store.getItem('orbita_cc')) || 'null'); } catch (e) { saved = null; }
  CATS.forEach(function (c) { granted[c] = saved && c in saved ? saved[c] : o.consentMode !== 'opt-in'; });
  function consentFrom(c) {
    var out = {};
    if (!c || typeof c !== 'object') return out;
    function yes(v) { return v === true || v === 'granted'; }
    function known(v) { return v === true || v === false || v === 'granted' || v === 'denied'; }
    CATS.forEach(function (k) { if (known(c[k])) out[k] = yes(c[k]); });
    if (known(c.analytics_storage)) out.analytics = yes(c.analytics_storage);
    if (known(c.functionality_storage)) out.functional = yes(c.functionality_storage);
    if (known(c.personalization_storage)) out.personalization = yes(c.personalization_storage);
    var ads = ['ad_storage', 'ad_user_data', 'ad_personalization'].filter(function (k) { return known(c[k]); });
    if (ads.length) out.marketing = ads.every(function (k) { return yes(c[k]); });
    return out;
  }
  function consent(c, isDefault) {
    var given = consentFrom(c), changed = false;
    for (var k in given) {
      if (isDefault && saved && k in saved) continue; // a default never overrides what the visitor chose
      if (granted[k] !== given[k]) { granted[k] = given[k]; changed = true; }
    }
    if (!isDefault && store) { try { store.setItem('orbita_cc', JSON.stringify(granted)); } catch (e) { /* storage blocked */ } saved = granted; }
    if (changed) {
      var ready = waiting.filter(function (x) { return allowed(x.tag); });
      waiting = waiting.filter(function (x) { return !allowed(x.tag); });
      ready.forEach(function (x) { run(x.tag, x.ev); }); // tags that waited for consent fire now, without a reload
    }
  }
  function allowed(tag) { return (tag.consent || []).every(function (c) { return granted[c]; }); }

  /* ---- variables ---- */
  function path(obj, p) {
    var parts = p.split('.');
    for (var i = 0; i < parts.length; i++) {
      if (obj === null || obj === undefined) return undefined;
      try { obj = obj[parts[i]]; } catch (e) { return undefined; }
    }
    return obj;
  }
  function cookie(name) {
    var all = d.cookie ? d.cookie.split('; ') : [];
    for (var i = 0; i < all.length; i++) {
      var eq = all[i].indexOf('=');
      if (all[i].substring(0, eq) === name) { try { return decodeURIComponent(all[i].substring(eq + 1)); } catch (e) { return all[i].substring(eq + 1); } }
    }
    return undefined;
  }
  function urlPart(part, key) {
    var l = w.location;
    if (part === 'host') return l.hostname;
    if (part === 'path') return l.pathname;
    if (part === 'fragment') return l.hash.replace(/^#/, '');
    if (part === 'protocol') return l.protocol.replace(/:$/, '');
    if (part === 'query') {
      var m = new RegExp('[?&]' + key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '=([^&#]*)').exec(l.search);
      if (!m) return undefined;
      try { return decodeURIComponent(m[1].replace(/\+/g, ' ')); } catch (e) { return m[1]; }
    }
    return l.href;
  }
  function builtIn(name, ev) {
    var el = ev.element;
    switch (name) {
      case 'Event': return ev.event;
      case 'Page URL': return w.location.href;
      case 'Page Hostname': return w.location.hostname;
      case 'Page Path': return w.location.pathname;
      case 'Referrer': return d.referrer;
      case 'Click ID': return el ? el.id : undefined;
      case 'Click Classes': return el && typeof el.className === 'string' ? el.className : undefined;
      case 'Click Text': return el ? (el.innerText || el.textContent || '').trim().substring(0, 100) : undefined;
      case 'Click URL': var a = el && el.closest ? el.closest('a') : null; return a ? a.href : undefined;
      case 'Form ID': return el && el.tagName === 'FORM' ? el.id : undefined;
      case 'Scroll Depth Threshold': return ev.threshold;
    }
    return undefined;
  }
  var defined = {};
  (C.variables || []).forEach(function (v) { defined[v.name] = v; });
  function value(name, ev) {
    var v = defined[name], out;
    if (!v) return builtIn(name, ev);
    if (v.kind === 'constant') return v.value;
    if (v.kind === 'url') out = urlPart(v.part, v.key);
    else if (v.kind === 'cookie') out = cookie(v.key);
    else if (v.kind === 'datalayer') out = path(model, v.key);
    else if (v.kind === 'js') out = path(w, v.key);
    return out === undefined || out === null ? (v.value === undefined ? undefined : v.value) : out;
  }
  function text(x) { return x === undefined || x === null ? '' : typeof x === 'object' ? JSON.stringify(x) : String(x); }
  function fill(s, ev, escape) {
    return s.replace(/\{\{([^{}]{1,80})\}\}/g, function (m, n) { var t = text(value(n.trim(), ev)); return escape ? escape(t) : t; });
  }

  /* ---- triggers ---- */
  function test(c, ev) {
    var x = text(value(c.variable, ev)), y = c.value;
    switch (c.operator) {
      case 'equals': return x === y;
      case 'not_equals': return x !== y;
      case 'contains': return x.indexOf(y) >= 0;
      case 'not_contains': return x.indexOf(y) < 0;
      case 'starts_with': return x.indexOf(y) === 0;
      case 'ends_with': return x.length >= y.length && x.substring(x.length - y.length) === y;
      case 'matches': case 'not_matches':
        var r; try { r = new RegExp(y).test(x); } catch (e) { r = false; }
        return c.operator === 'matches' ? r : !r;
      case 'less_than': return x !== '' && +x < +y;
      case 'greater_than': return x !== '' && +x > +y;
    }
    return false;
  }
  function within(el, selector) { try { return !selector || !!(el && el.closest && el.closest(selector)); } catch (e) { return false; } }
  function matches(t, ev) {
    var ok;
    switch (t.kind) {
      case 'page': ok = ev.event === 'orbita.page'; break;
      case 'click': ok = ev.event === 'orbita.click' && within(ev.element, t.selector); break;
      case 'submit': ok = ev.event === 'orbita.submit' && within(ev.element, t.selector); break;
      case 'scroll': ok = ev.event === 'orbita.scroll' && t.thresholds.indexOf(ev.threshold) >= 0; break;
      case 'timer': case 'visibility': ok = ev.trigger === t.id; break;
      case 'event':
        if (ev.event.indexOf('orbita.') === 0) { ok = false; break; }
        if (t.match === 'regex') { try { ok = new RegExp(t.event).test(ev.event); } catch (e) { ok = false; } } else ok = ev.event === t.event;
        break;
      default: ok = false;
    }
    return ok && (t.conditions || []).every(function (c) { return test(c, ev); });
  }

  /* ---- tags ---- */
  function script(src) { var s = d.createElement('script'); s.async = true; s.src = src; d.head.appendChild(s); return s; }
  function html(tag, ev) {
    var tpl = d.createElement('template');
    tpl.innerHTML = tag.html; // parsed inert: nothing runs, no variable has gone in yet
    var nodes = tpl.content.querySelectorAll('*');
    function swap(node) { // a variable goes in as text, and inside a script as a JavaScript string
      if (node.nodeType === 3) node.nodeValue = fill(node.nodeValue, ev);
      else if (node.nodeType === 1) for (var a = 0; a < node.attributes.length; a++) node.attributes[a].value = fill(node.attributes[a].value, ev);
    }
    var walker = d.createTreeWalker(tpl.content, 5 /* elements and text */), n;
    while ((n = walker.nextNode())) {
      if (n.nodeType === 3 && n.parentNode && n.parentNode.tagName === 'SCRIPT') {
        n.nodeValue = fill(n.nodeValue, ev, function (t) { return JSON.stringify(t).replace(/</g, '\\u003c'); });
      } else swap(n);
    }
    var holder = d.createElement('div');
    holder.setAttribute('data-orbita-tag', tag.id);
    holder.style.display = 'contents';
    holder.appendChild(tpl.content);
    (d.body || d.documentElement).appendChild(holder);
    var scripts = holder.querySelectorAll('script');
    for (var i = 0; i < scripts.length; i++) { // scripts added by innerHTML never run: each is made again
      var old = scripts[i], s = d.createElement('script');
      for (var j = 0; j < old.attributes.length; j++) s.setAttribute(old.attributes[j].name, old.attributes[j].value);
      s.text = old.text;
      old.parentNode.replaceChild(s, old);
    }
    return nodes.length;
  }
  var templates = {
    popup: function (id) { o('popup', 'offer', id); },
    ga4: function (id) {
      w.gtag = w.gtag || function () { dl.push(arguments); };
      script('https://www.googletagmanager.com/gtag/js?id=' + encodeURIComponent(id));
      w.gtag('js', new Date()); w.gtag('config', id);
    },
    'meta-pixel': function (id) {
      if (!w.fbq) {
        var f = w.fbq = function () { f.callMethod ? f.callMethod.apply(f, arguments) : f.queue.push(arguments); };
        if (!w._fbq) w._fbq = f;
        f.push = f; f.loaded = true; f.version = '2.0'; f.queue = [];
        script('https://connect.facebook.net/en_US/fbevents.js');
      }
      w.fbq('init', id); w.fbq('track', 'PageView');
    },
    'yandex-metrica': function (id) {
      if (!w.ym) {
        w.ym = function () { (w.ym.a = w.ym.a || []).push(arguments); }; w.ym.l = +new Date();
        script('https://mc.yandex.ru/metrika/tag.js');
      }
      w.ym(+id, 'init', { clickmap: true, trackLinks: true, accurateTrackBounce: true });
    }
  };
  function run(tag, ev) {
    if (tag.once === 'page' || templates[tag.kind]) {
      if (firedOnPage[tag.id]) return;
      firedOnPage[tag.id] = 1;
    }
    try {
      if (tag.kind === 'html') html(tag, ev);
      else if (tag.kind === 'image') { var img = new Image(); img.src = fill(tag.url, ev, encodeURIComponent); }
      else if (tag.kind === 'event') {
        var props = {};
        for (var k in tag.properties) props[k] = fill(tag.properties[k], ev);
        o('track', tag.event, props);
      } else if (templates[tag.kind]) templates[tag.kind](tag.account);
      note(ev.event, tag.name, 'fired');
    } catch (e) {
      note(ev.event, tag.name, 'failed: ' + e.message); // a tag's own error stops that tag, never the others
    }
  }
  var depth = 0;
  function fire(ev) {
    if (depth > 3) return; // a tag whose event fires itself again stops here
    depth++;
    try { fireNow(ev); } finally { depth--; }
  }
  function fireNow(ev) {
    var hit = {};
    (C.triggers || []).forEach(function (t) { if (matches(t, ev)) hit[t.id] = 1; });
    (C.tags || []).forEach(function (tag) {
      if (tag.paused || !tag.firing.some(function (id) { return hit[id]; })) return;
      if (tag.blocking.some(function (id) { return hit[id]; })) { note(ev.event, tag.name, 'blocked'); return; }
      if (!allowed(tag)) {
        if (!waiting.some(function (x) { return x.tag === tag && x.ev.event === ev.event; })) waiting.push({ tag: tag, ev: ev });
        note(ev.event, tag.name, 'waiting for consent');
        return;
      }
      run(tag, ev);
    });
  }

  /* ---- the dataLayer as Google Tag Manager reads it ---- */
  function merge(into, from) {
    for (var k in from) {
      if (!Object.prototype.hasOwnProperty.call(from, k)) continue;
      var v = from[k];
      if (v && typeof v === 'object' && !Array.isArray(v) && into[k] && typeof into[k] === 'object' && !Array.isArray(into[k])) merge(into[k], v);
      else into[k] = v;
    }
  }
  function take(item) {
    if (!item) return;
    if (Object.prototype.toString.call(item) === '[object Arguments]') { // gtag(…)
      if (item[0] === 'consent' && (item[1] === 'default' || item[1] === 'update')) {
        consent(item[2], item[1] === 'default');
        if (item[1] === 'update') o('consent', item[2]);
      } else if (item[0] === 'event' && typeof item[1] === 'string') fire({ event: item[1] });
      return;
    }
    if (typeof item === 'function') { try { item.call(model); } catch (e) { /* the page's own function */ } return; }
    if (typeof item !== 'object') return;
    merge(model, item);
    if (typeof item.event === 'string' && item.event.indexOf('gtm.') !== 0) fire({ event: item.event });
  }
  for (var i = 0; i < dl.length; i++) take(dl[i]);
  var push = dl.push;
  dl.push = function () {
    var r = push.apply(dl, arguments);
    for (var j = 0; j < arguments.length; j++) take(arguments[j]);
    return r;
  };

  /* ---- what happens on the page ---- */
  function page() {
    firedOnPage = {}; passed = {};
    pageTimers.forEach(clearInterval); pageTimers = [];
    observers.forEach(function (ob) { ob.disconnect(); }); observers = [];
    fire({ event: 'orbita.page' });
    (C.triggers || []).forEach(function (t) {
      if (t.kind === 'timer') {
        var n = 0, h = setInterval(function () {
          n++;
          if (t.limit && n >= t.limit) clearInterval(h);
          fire({ event: 'orbita.timer', trigger: t.id });
        }, t.interval);
        pageTimers.push(h);
      } else if (t.kind === 'visibility' && w.IntersectionObserver) {
        var seen = [];
        var ob = new IntersectionObserver(function (entries) {
          entries.forEach(function (en) {
            if (!en.isIntersecting || seen.indexOf(en.target) >= 0) return;
            seen.push(en.target);
            fire({ event: 'orbita.visible', trigger: t.id, element: en.target });
          });
        }, { threshold: t.percent / 100 });
        try { d.querySelectorAll(t.selector).forEach(function (el) { ob.observe(el); }); } catch (e) { /* a selector the browser does not know */ }
        observers.push(ob);
      }
    });
  }
  o.on(function (type, data) {
    if (type === 'page') page();
    else if (type === 'consent') consent(data, false);
    else if (type === 'track') fire({ event: data.name });
  });
  d.addEventListener('click', function (e) { fire({ event: 'orbita.click', element: e.target }); }, true);
  d.addEventListener('submit', function (e) { fire({ event: 'orbita.submit', element: e.target }); }, true);
  var thresholds = [];
  (C.triggers || []).forEach(function (t) { if (t.kind === 'scroll') t.thresholds.forEach(function (x) { if (thresholds.indexOf(x) < 0) thresholds.push(x); }); });
  if (thresholds.length) w.addEventListener('scroll', function () {
    var el = d.documentElement, h = el.scrollHeight - w.innerHeight;
    var pct = h <= 0 ? 100 : Math.round(100 * (w.scrollY || el.scrollTop) / h);
    thresholds.forEach(function (x) { if (pct >= x && !passed[x]) { passed[x] = 1; fire({ event: 'orbita.scroll', threshold: x }); } });
  }, { passive: true });

  /* ---- preview: a panel naming each tag fired, blocked or waiting, in this tab only ---- */
  var panel = null;
  function note(event, tag, what) {
    log.push(event + ' → ' + tag + ': ' + what);
    if (log.length > 30) log.shift();
    if (!C.preview) return;
    if (!panel && d.body) {
      panel = d.createElement('div');
      panel.id = 'orbita-preview';
      panel.setAttribute('style', 'position:fixed;right:8px;bottom:8px;z-index:2147483647;max-width:360px;max-height:40vh;overflow:auto;'
        + 'background:#fff;color:#111;border:2px solid #6d28d9;border-radius:6px;font:12px/1.4 system-ui,sans-serif;padding:8px');
      var head = d.createElement('div'), exit = d.createElement('button'), list = d.createElement('ol');
      head.textContent = 'Orbita preview: ' + C.name + ' (draft) ';
      exit.textContent = 'Exit preview';
      exit.onclick = function () { try { w.sessionStorage.removeItem('orbita_preview'); } catch (e) { /* blocked */ } w.location.reload(); };
      head.appendChild(exit); panel.appendChild(head); panel.appendChild(list);
      d.body.appendChild(panel);
    }
    if (panel) {
      var ol = panel.querySelector('ol'), li = d.createElement('li');
      li.textContent = log[log.length - 1];
      ol.appendChild(li);
      while (ol.children.length > 30) ol.removeChild(ol.firstChild);
    }
  }
  o.tags = o.tags || {};
  o.tags[C.container] = { version: C.version, fired: function () { return log.slice(); } };
  if (o.lastPage && o.lastPage()) page(); // the page view already counted before this script came
})(window, document, /*CONFIG*/{});
