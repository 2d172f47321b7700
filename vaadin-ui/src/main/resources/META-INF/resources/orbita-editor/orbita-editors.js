/*
 * Orbita's two editor elements, plain custom elements over open-source editors loaded on first use:
 *   <orbita-code-editor mode="liquid-html|liquid-json|liquid-text">  CodeMirror 5 with Liquid highlighted;
 *       property `value`, event `value-changed` {value}.
 *   <orbita-block-editor>  GrapesJS with the newsletter preset (drag-and-drop blocks, email-safe output);
 *       method `load(project, html)`, event `blocks-changed` {html, project} with the CSS inlined.
 */
(function () {
  if (window.customElements.get('orbita-code-editor')) {
    return;
  }
  const base = (document.querySelector('base') ? '' : '/') + 'orbita-editor/vendor/';
  const loading = {};

  function script(src) {
    if (!loading[src]) {
      loading[src] = new Promise((resolve, reject) => {
        const s = document.createElement('script');
        s.src = base + src;
        s.onload = resolve;
        s.onerror = () => reject(new Error('Could not load ' + src));
        document.head.appendChild(s);
      });
    }
    return loading[src];
  }

  function style(href) {
    if (!loading[href]) {
      loading[href] = true;
      const l = document.createElement('link');
      l.rel = 'stylesheet';
      l.href = base + href;
      document.head.appendChild(l);
    }
  }

  function debounce(fn, ms) {
    let t;
    return (...args) => {
      clearTimeout(t);
      t = setTimeout(() => fn(...args), ms);
    };
  }

  /** Marks {{ output }} and {% tags %} over any mode. */
  const liquid = {
    token(stream) {
      if (stream.match('{{')) {
        while (!stream.eol() && !stream.match('}}')) stream.next();
        return 'liquid-output';
      }
      if (stream.match('{%')) {
        while (!stream.eol() && !stream.match('%}')) stream.next();
        return 'liquid-tag';
      }
      while (stream.next() != null && !stream.match(/^\{[{%]/, false)) { /* plain text */ }
      return null;
    }
  };

  async function codeMirror() {
    style('codemirror/lib/codemirror.css');
    await script('codemirror/lib/codemirror.js');
    await Promise.all(['codemirror/mode/xml/xml.js', 'codemirror/mode/css/css.js', 'codemirror/mode/javascript/javascript.js',
      'codemirror/addon/mode/overlay.js'].map(script));
    await script('codemirror/mode/htmlmixed/htmlmixed.js');
    const CM = window.CodeMirror;
    if (!CM.modes['liquid-html']) {
      CM.defineMode('liquid-html', c => CM.overlayMode(CM.getMode(c, 'htmlmixed'), liquid));
      CM.defineMode('liquid-json', c => CM.overlayMode(CM.getMode(c, { name: 'javascript', json: true }), liquid));
      CM.defineMode('liquid-text', c => CM.overlayMode(CM.getMode(c, 'text/plain'), liquid));
      const css = document.createElement('style');
      css.textContent = '.cm-liquid-output{color:#7c3aed;background:#f5f3ff}.cm-liquid-tag{color:#b45309;background:#fffbeb}'
        + 'orbita-code-editor .CodeMirror{border:1px solid var(--lumo-contrast-20pct);border-radius:var(--lumo-border-radius-m);font-size:13px}';
      document.head.appendChild(css);
    }
    return CM;
  }

  class OrbitaCodeEditor extends HTMLElement {
    constructor() {
      super();
      this._value = '';
    }

    connectedCallback() {
      this.style.display = 'block';
      if (this._started) {
        if (this._cm) this._cm.refresh();
        return;
      }
      this._started = true;
      const host = document.createElement('div');
      this.appendChild(host);
      codeMirror().then(CM => {
        this._cm = CM(host, {
          value: this._value, mode: this.getAttribute('mode') || 'liquid-html',
          lineNumbers: true, lineWrapping: true, readOnly: this.hasAttribute('readonly')
        });
        this._cm.setSize('100%', this.getAttribute('height') || '420px');
        const fire = () => this.dispatchEvent(new CustomEvent('value-changed', { detail: { value: this._value } }));
        const later = debounce(fire, 250);
        this._cm.on('change', () => {
          this._value = this._cm.getValue();
          later();
        });
        this._cm.on('blur', fire);
        // shown inside a tab that was hidden: measure again once visible
        new ResizeObserver(() => this._cm.refresh()).observe(this);
      }).catch(e => { host.textContent = e.message; });
    }

    get value() {
      return this._cm ? this._cm.getValue() : this._value;
    }

    set value(v) {
      const text = v == null ? '' : String(v);
      this._value = text;
      if (this._cm && this._cm.getValue() !== text) {
        this._cm.setValue(text);
      }
    }
  }

  class OrbitaBlockEditor extends HTMLElement {
    connectedCallback() {
      this.style.display = 'block';
      if (this._started) return;
      this._started = true;
      const host = document.createElement('div');
      this.appendChild(host);
      style('grapesjs/dist/css/grapes.min.css');
      script('grapesjs/dist/grapes.min.js')
        .then(() => script('grapesjs-preset-newsletter/dist/index.js'))
        .then(() => {
          const preset = window['grapesjs-preset-newsletter'];
          const options = {
            container: host,
            height: this.getAttribute('height') || '640px',
            width: 'auto',
            storageManager: false,
            plugins: [preset.default || preset]
          };
          if (this._project) {
            options.projectData = this._project;
          } else {
            options.components = this._html || '';
          }
          this._editor = window.grapesjs.init(options);
          this._editor.on('update', debounce(() => this._emit(), 400));
          this.dispatchEvent(new CustomEvent('blocks-ready'));
        })
        .catch(e => { host.textContent = e.message; });
    }

    /** Opens a saved project (GrapesJS JSON) or, without one, starts from HTML. */
    load(project, html) {
      let parsed = null;
      try {
        parsed = project ? JSON.parse(project) : null;
      } catch (e) {
        parsed = null;
      }
      this._project = parsed;
      this._html = html || '';
      if (this._editor) {
        if (parsed) {
          this._editor.loadProjectData(parsed);
        } else {
          this._editor.setComponents(this._html);
        }
      }
    }

    _emit() {
      const editor = this._editor;
      let body;
      try {
        body = editor.runCommand('gjs-get-inlined-html');
      } catch (e) {
        body = editor.getHtml() + '<style>' + editor.getCss() + '</style>';
      }
      const wrapped = /^\s*<body/i.test(body) ? body : '<body>' + body + '</body>';
      const html = '<!doctype html><html><head><meta charset="utf-8">'
        + '<meta name="viewport" content="width=device-width, initial-scale=1"></head>' + wrapped + '</html>';
      this.dispatchEvent(new CustomEvent('blocks-changed', {
        detail: { html: html, project: JSON.stringify(editor.getProjectData()) }
      }));
    }
  }

  window.customElements.define('orbita-code-editor', OrbitaCodeEditor);
  window.customElements.define('orbita-block-editor', OrbitaBlockEditor);
})();
