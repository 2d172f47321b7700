/* Orbita form: served per form with its questions in C (app/tracking/FormPages); drawn in a shadow root, every text set as text. */
(function (w, d, C) {
  'use strict';
  var host = d.querySelector('[data-orbita-form="' + C.id + '"]:not([data-orbita-drawn])');
  if (!host) {
    var me = d.currentScript;
    host = d.createElement('div');
    if (me && me.parentNode) me.parentNode.insertBefore(host, me.nextSibling); else (d.body || d.documentElement).appendChild(host);
  }
  host.setAttribute('data-orbita-drawn', '1');
  var lang = (host.getAttribute('data-lang') || C.lang || navigator.language || 'en').toLowerCase().indexOf('ru') === 0 ? 'ru' : 'en';
  var texts = C.texts[lang] || C.texts.en || C.texts.ru || {};
  var words = { en: { submit: 'Send', next: 'Next', back: 'Back', success: 'Thank you!', required: 'Please answer this question.',
    failed: 'Could not send. Please try again.' }, ru: { submit: 'Отправить', next: 'Далее', back: 'Назад', success: 'Спасибо!',
    required: 'Ответьте на этот вопрос.', failed: 'Не удалось отправить. Попробуйте ещё раз.' } }[lang];
  function say(key) { return texts[key] || words[key]; }
  function label(map) { return (map && (map[lang] || map.en || map.ru)) || ''; }
  var T = C.theme, root = host.attachShadow ? host.attachShadow({ mode: 'open' }) : host;
  var font = { system: 'system-ui,-apple-system,Segoe UI,Roboto,sans-serif', serif: 'Georgia,serif', mono: 'ui-monospace,monospace' }[T.font];
  var style = d.createElement('style');
  style.textContent = ':host{display:block}form{font:15px/1.45 ' + font + ';color:' + T.text + ';background:' + T.background + ';padding:20px;'
    + 'border-radius:' + T.radius + 'px;max-width:560px;box-sizing:border-box}h2{margin:0 0 6px;font-size:20px}p.d{margin:0 0 14px;opacity:.8}'
    + '.q{margin:0 0 14px}.q>label,.q>.l{display:block;font-weight:600;margin-bottom:4px}input[type=text],input[type=email],input[type=tel],'
    + 'input[type=number],input[type=date],textarea,select{width:100%;box-sizing:border-box;padding:8px 10px;border:1px solid #9ca3af;'
    + 'border-radius:' + T.radius + 'px;font:inherit;color:inherit;background:#fff}textarea{min-height:90px}.o{display:flex;gap:8px;'
    + 'align-items:center;margin:2px 0}.scale{display:flex;flex-wrap:wrap;gap:4px}.scale button{min-width:36px;padding:6px;border:1px solid #9ca3af;'
    + 'background:#fff;color:#111;border-radius:' + T.radius + 'px;cursor:pointer;font:inherit}.scale button[aria-pressed=true]{background:'
    + T.primary + ';color:#fff;border-color:' + T.primary + '}.e{color:#b91c1c;font-size:13px;margin-top:3px}.b{display:flex;gap:8px;margin-top:8px}'
    + 'button.go{background:' + T.primary + ';color:#fff;border:0;padding:10px 18px;border-radius:' + T.radius + 'px;font:inherit;cursor:pointer}'
    + 'button.bk{background:transparent;border:1px solid #9ca3af;color:inherit;padding:10px 18px;border-radius:' + T.radius + 'px;font:inherit}'
    + '.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}.ok{font-size:17px;padding:12px 0}';
  root.appendChild(style);
  var form = d.createElement('form'), answers = {}, boxes = {}, errors = {}, step = 1, started = false;
  form.setAttribute('novalidate', '');
  form.setAttribute('part', 'form');
  root.appendChild(form);
  var visitor = '', a = '0123456789abcdefghijklmnopqrstuvwxyz', r = new Uint8Array(20);
  (w.crypto || w.msCrypto).getRandomValues(r);
  for (var i = 0; i < r.length; i++) visitor += a.charAt(r[i] % 36);
  function post(path, body) {
    if (C.preview) return path === '/submit' ? Promise.resolve({ ok: true, json: function () { return Promise.resolve({}); } }) : Promise.resolve();
    return w.fetch(C.base + path, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'text/plain' } });
  }
  function el(tag, attrs, text) {
    var e = d.createElement(tag);
    for (var k in attrs) if (attrs[k] !== undefined && attrs[k] !== null) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  var steps = 1;
  C.fields.forEach(function (f) { if (f.step > steps) steps = f.step; });
  function hiddenValue(src) {
    if (src === 'page') return w.location.href;
    if (src === 'referrer') return d.referrer;
    var name = src.indexOf('query:') === 0 ? src.substring(6) : src;
    var m = new RegExp('[?&]' + name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '=([^&#]*)').exec(w.location.search);
    try { return m ? decodeURIComponent(m[1].replace(/\+/g, ' ')) : ''; } catch (e) { return m[1]; }
  }
  function shown(f) {
    if (!f.showIf) return true;
    var v = answers[f.showIf.field];
    if (Array.isArray(v)) return v.some(function (x) { return f.showIf.values.indexOf(String(x)) >= 0; });
    return v !== undefined && v !== null && f.showIf.values.indexOf(String(v)) >= 0;
  }
  function start() { if (!started) { started = true; post('/seen', { kind: 'start', visitor: visitor }).catch(function () {}); } }
  function set(name, v) { answers[name] = v; start(); draw(); }
  function question(f) {
    var q = el('div', { 'class': 'q' }), id = 'q-' + f.name, req = f.required ? ' *' : '';
    var v = answers[f.name];
    if (f.type === 'checkbox') {
      var row = el('label', { 'class': 'o' }), box = el('input', { type: 'checkbox', id: id, name: f.name });
      box.checked = v === true;
      box.onchange = function () { set(f.name, box.checked); };
      row.appendChild(box); row.appendChild(d.createTextNode(label(f.label) + req)); q.appendChild(row);
    } else if (f.type === 'radio' || f.type === 'checkboxes') {
      q.appendChild(el('div', { 'class': 'l' }, label(f.label) + req));
      f.options.forEach(function (o) {
        var row = el('label', { 'class': 'o' }), input = el('input', { type: f.type === 'radio' ? 'radio' : 'checkbox', name: f.name, value: o.value });
        input.checked = f.type === 'radio' ? v === o.value : (v || []).indexOf(o.value) >= 0;
        input.onchange = function () {
          if (f.type === 'radio') set(f.name, o.value);
          else {
            var now = (answers[f.name] || []).filter(function (x) { return x !== o.value; });
            if (input.checked) now.push(o.value);
            set(f.name, now);
          }
        };
        row.appendChild(input); row.appendChild(d.createTextNode(label(o.label) || o.value)); q.appendChild(row);
      });
    } else if (f.type === 'rating' || f.type === 'nps') {
      q.appendChild(el('div', { 'class': 'l', id: id + '-l' }, label(f.label) + req));
      var scale = el('div', { 'class': 'scale', role: 'group', 'aria-labelledby': id + '-l' });
      for (var n = f.type === 'nps' ? 0 : 1; n <= (f.type === 'nps' ? 10 : 5); n++) {
        (function (n) {
          var b = el('button', { type: 'button', name: f.name, value: String(n), 'aria-pressed': String(v === n) }, f.type === 'rating' ? '★'.repeat(n) : String(n));
          b.onclick = function () { set(f.name, n); };
          scale.appendChild(b);
        })(n);
      }
      q.appendChild(scale);
    } else {
      q.appendChild(el('label', { 'for': id }, label(f.label) + req));
      var input;
      if (f.type === 'select') {
        input = el('select', { id: id, name: f.name });
        input.appendChild(el('option', { value: '' }, '—'));
        f.options.forEach(function (o) { var op = el('option', { value: o.value }, label(o.label) || o.value); op.selected = v === o.value; input.appendChild(op); });
      } else if (f.type === 'textarea') {
        input = el('textarea', { id: id, name: f.name, maxlength: f.maxLength });
        input.value = v || '';
      } else {
        input = el('input', { id: id, name: f.name, maxlength: f.maxLength, type: { email: 'email', phone: 'tel', number: 'number', date: 'date' }[f.type] || 'text',
          autocomplete: { email: 'email', phone: 'tel' }[f.type] });
        input.value = v === undefined || v === null ? '' : v;
      }
      input.oninput = input.onchange = function () { answers[f.name] = input.value; start(); };
      q.appendChild(input);
    }
    if (errors[f.name]) q.appendChild(el('div', { 'class': 'e', role: 'alert' }, errors[f.name]));
    return q;
  }
  function draw() {
    var focus = root.activeElement && root.activeElement.id;
    while (form.firstChild) form.removeChild(form.firstChild);
    if (texts.title) form.appendChild(el('h2', {}, texts.title));
    if (texts.description && step === 1) form.appendChild(el('p', { 'class': 'd' }, texts.description));
    C.fields.forEach(function (f) {
      if (f.type === 'hidden') { answers[f.name] = hiddenValue(f.source); return; }
      if (f.step === step && shown(f)) form.appendChild(question(f));
    });
    if (step === steps) {
      C.consents.forEach(function (c) {
        var q = el('div', { 'class': 'q' }), row = el('label', { 'class': 'o' }), box = el('input', { type: 'checkbox', name: 'consent-' + c.name });
        box.checked = boxes[c.name] === true;
        box.onchange = function () { boxes[c.name] = box.checked; start(); };
        row.appendChild(box); row.appendChild(d.createTextNode(label(c.label) + (c.required ? ' *' : ''))); q.appendChild(row);
        if (errors['consent:' + c.name]) q.appendChild(el('div', { 'class': 'e', role: 'alert' }, errors['consent:' + c.name]));
        form.appendChild(q);
      });
    }
    var hp = el('div', { 'class': 'hp', 'aria-hidden': 'true' }), trap = el('input', { type: 'text', name: 'website', tabindex: '-1', autocomplete: 'off' });
    hp.appendChild(trap); form.appendChild(hp);
    if (errors._) form.appendChild(el('div', { 'class': 'e', role: 'alert' }, errors._));
    var bar = el('div', { 'class': 'b' });
    if (step > 1) { var back = el('button', { type: 'button', 'class': 'bk' }, say('back')); back.onclick = function () { step--; errors = {}; draw(); }; bar.appendChild(back); }
    bar.appendChild(el('button', { type: 'submit', 'class': 'go' }, step < steps ? say('next') : say('submit')));
    form.appendChild(bar);
    if (focus && root.getElementById) { var f2 = root.getElementById(focus); if (f2) f2.focus(); }
  }
  function missing() {
    errors = {};
    C.fields.forEach(function (f) {
      var v = answers[f.name];
      if (f.step === step && f.required && shown(f) && (v === undefined || v === null || v === '' || v === false || (Array.isArray(v) && !v.length))) {
        errors[f.name] = words.required;
      }
    });
    return Object.keys(errors).length > 0;
  }
  // proof of work, when the form asks for it: a nonce making SHA-256(prefix + nonce) start with `bits` zero bits (the server checks one hash)
  var K = [], H0 = [];
  (function () {
    function frac(x) { return ((x - Math.floor(x)) * 4294967296) | 0; }
    for (var n = 2, c = 0; c < 64; n++) {
      var prime = true;
      for (var f = 2; f * f <= n; f++) if (n % f === 0) { prime = false; break; }
      if (prime) { if (c < 8) H0[c] = frac(Math.pow(n, 1 / 2)); K[c++] = frac(Math.pow(n, 1 / 3)); }
    }
  })();
  function rotr(x, n) { return (x >>> n) | (x << (32 - n)); }
  function firstWord(s) { // SHA-256 of an ASCII string, its first 32 bits
    var words = [], len = s.length, i, j, blocks = ((len + 8) >> 6) + 1;
    for (i = 0; i < len; i++) words[i >> 2] |= (s.charCodeAt(i) & 255) << ((3 - i % 4) * 8);
    words[len >> 2] |= 0x80 << ((3 - len % 4) * 8);
    words[blocks * 16 - 1] = len * 8;
    var h = H0.slice(0);
    for (j = 0; j < blocks * 16; j += 16) {
      var v = words.slice(j, j + 16), a = h[0], b = h[1], c = h[2], e = h[4], f = h[5], g = h[6], k = h[7], dd = h[3];
      for (i = 0; i < 64; i++) {
        if (i >= 16) {
          var x = v[i - 15] | 0, y = v[i - 2] | 0;
          v[i] = ((v[i - 16] | 0) + (rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3)) + (v[i - 7] | 0) + (rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10))) | 0;
        }
        var t1 = (k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + (v[i] | 0)) | 0;
        var t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        k = g; g = f; f = e; e = (dd + t1) | 0; dd = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h[0] = (h[0] + a) | 0; h[1] = (h[1] + b) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + dd) | 0;
      h[4] = (h[4] + e) | 0; h[5] = (h[5] + f) | 0; h[6] = (h[6] + g) | 0; h[7] = (h[7] + k) | 0;
    }
    return h[0] >>> 0;
  }
  function proof(prefix, bits) {
    if (!bits) return Promise.resolve(undefined);
    var limit = Math.pow(2, 32 - bits), n = 0;
    return new Promise(function (done) {
      (function chunk() { // in slices, so the page stays responsive
        for (var end = n + 20000; n < end; n++) if (firstWord(prefix + n.toString(36)) < limit) { done(n.toString(36)); return; }
        setTimeout(chunk, 0);
      })();
    });
  }
  var submission = '';
  form.onsubmit = function (e) {
    e.preventDefault();
    if (missing()) { draw(); return; }
    if (step < steps) { step++; draw(); return; }
    var sent = {}, trapValue = form.querySelector('input[name=website]').value;
    C.fields.forEach(function (f) {
      var v = answers[f.name];
      if (!shown(f) || v === undefined || v === '' || v === null) return;
      sent[f.name] = f.type === 'number' ? +v : v;
    });
    if (!submission) { var b = new Uint8Array(16); (w.crypto || w.msCrypto).getRandomValues(b); for (var i = 0; i < 16; i++) submission += a.charAt(b[i] % 36); }
    var busy = form.querySelector('button.go');
    if (busy) busy.disabled = true;
    proof(C.shown + ':' + submission + ':', C.work || 0).then(function (nonce) {
      if (busy) busy.disabled = false;
      return post('/submit', { id: submission, answers: sent, consents: boxes, shown: C.shown, hp: trapValue, page: w.location.href,
        referrer: d.referrer || undefined, pow: nonce });
    })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (body) {
          if (r.ok) {
            while (form.firstChild) form.removeChild(form.firstChild);
            form.appendChild(el('div', { 'class': 'ok', role: 'status' }, say('success')));
            try { if (w.orbita && w.orbita.loaded) w.orbita('track', 'form_submitted', { form: C.id }); } catch (x) { /* the page's own */ }
            try { host.dispatchEvent(new CustomEvent('orbita:form-submitted', { bubbles: true, composed: true, detail: { form: C.id } })); } catch (x) { /* old browsers */ }
            return;
          }
          errors = {};
          (body.errors || []).forEach(function (er) {
            var m = /^(answers|consents)\.(.+)$/.exec(er.field || '');
            if (m) errors[m[1] === 'answers' ? m[2] : 'consent:' + m[2]] = er.rule;
          });
          var first = C.fields.filter(function (f) { return errors[f.name]; })[0];
          if (first) step = first.step;
          if (!Object.keys(errors).length) errors._ = words.failed;
          draw();
        });
      }).catch(function () { errors = { _: words.failed }; draw(); });
  };
  draw();
  post('/seen', { kind: 'view', visitor: visitor }).catch(function () {});
})(window, document, /*CONFIG*/{});
