// The journey's canvas: bpmn-js's Modeler with Orbita's palette (the node catalog) — drag a node
// in, connect, move, delete, rename by double-click, undo and redo (Ctrl+Z / Ctrl+Y), a context
// pad with connect and delete only. After each change the canvas sends its shapes and
// connections to the server, which keeps the journey (JourneyDiagram.apply). Each node's
// figures are overlays; problems are drawn on their shapes; a profile's path is highlighted.
// At phone width the canvas is a viewer (pan and zoom, nothing edits).
import Modeler from 'bpmn-js/lib/Modeler';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';

const STYLE = `
orbita-journey-canvas .orbita-stat { font: 11px/1.3 var(--lumo-font-family, sans-serif); background: #fff; border: 1px solid #c5cbd3;
  border-radius: 4px; padding: 1px 5px; white-space: nowrap; color: #233; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
orbita-journey-canvas .orbita-stat b { color: #1676f3; }
orbita-journey-canvas .orbita-stat .wait { color: #b36b00; }
orbita-journey-canvas .orbita-stat .conv { color: #0a7a3b; }
orbita-journey-canvas .orbita-selected .djs-visual > :first-child { stroke: #1676f3 !important; stroke-width: 3px !important; }
orbita-journey-canvas .orbita-problem .djs-visual > :first-child { stroke: #d7263d !important; stroke-width: 2.5px !important; }
orbita-journey-canvas .orbita-path .djs-visual > :first-child { fill: #e6f7ec !important; stroke: #0a7a3b !important; stroke-width: 3px !important; }
orbita-journey-canvas .orbita-here .djs-visual > :first-child { fill: #fff4d6 !important; stroke: #b36b00 !important; stroke-width: 3px !important; }
orbita-journey-canvas .orbita-problem-badge { background: #d7263d; color: #fff; border-radius: 9px; min-width: 18px; height: 18px;
  font: bold 12px/18px var(--lumo-font-family, sans-serif); text-align: center; cursor: help; }
orbita-journey-canvas .djs-palette { max-height: calc(100% - 20px); overflow-y: auto; }
orbita-journey-canvas .djs-palette .entry.orbita-entry { font-size: 22px; }
`;

const ICONS = {
  startEvent: 'bpmn-icon-start-event-none',
  endEvent: 'bpmn-icon-end-event-none',
  exclusiveGateway: 'bpmn-icon-gateway-xor',
  sendTask: 'bpmn-icon-send-task',
  serviceTask: 'bpmn-icon-service-task',
  timer: 'bpmn-icon-intermediate-event-catch-timer',
  message: 'bpmn-icon-intermediate-event-catch-message'
};

/** Orbita's palette: the tools, then one entry per node type the server lists; the default BPMN entries are left out. */
function OrbitaPalette(palette, create, elementFactory, bpmnFactory, elementRegistry, canvasElement) {
  this.getPaletteEntries = () => (entries) => {
    const kept = {};
    for (const id of ['hand-tool', 'lasso-tool', 'global-connect-tool', 'tool-separator']) {
      if (entries[id]) {
        kept[id] = entries[id];
      }
    }
    for (const e of canvasElement.entries || []) {
      const start = (event) => {
        const id = freeId(elementRegistry, e.type.replace(/-/g, '_'));
        const bo = bpmnFactory.create('bpmn:' + cap(e.element), { id, name: e.label });
        bo.$attrs['orbita:type'] = e.type;
        const options = { type: 'bpmn:' + cap(e.element), businessObject: bo };
        if (e.shape === 'TIMER') {
          options.eventDefinitionType = 'bpmn:TimerEventDefinition';
        } else if (e.shape === 'EVENT_WAIT') {
          options.eventDefinitionType = 'bpmn:MessageEventDefinition';
        }
        create.start(event, elementFactory.createShape(options));
      };
      kept['orbita.' + e.type] = {
        group: 'orbita', className: 'orbita-entry ' + (e.shape === 'TIMER' ? ICONS.timer : e.shape === 'EVENT_WAIT' ? ICONS.message : ICONS[e.element]),
        title: e.label, action: { dragstart: start, click: start }
      };
    }
    return kept;
  };
  palette.registerProvider(500, this);
}
OrbitaPalette.$inject = ['palette', 'create', 'elementFactory', 'bpmnFactory', 'elementRegistry', 'config.orbitaCanvas'];

/** The context pad keeps connect and delete: nothing else makes an Orbita node. */
function OrbitaContextPad(contextPad) {
  this.getContextPadEntries = () => (entries) => {
    const kept = {};
    for (const id of ['connect', 'delete']) {
      if (entries[id]) {
        kept[id] = entries[id];
      }
    }
    return kept;
  };
  this.getMultiElementContextPadEntries = () => (entries) => (entries['delete'] ? { delete: entries['delete'] } : {});
  contextPad.registerProvider(500, this);
}
OrbitaContextPad.$inject = ['contextPad'];

/** Seconds as the largest unit that fits: 45 s, 12 min, 3.5 h, 2.1 d. */
function duration(seconds) {
  if (seconds < 90) {
    return Math.round(seconds) + ' s';
  }
  if (seconds < 5400) {
    return Math.round(seconds / 60) + ' min';
  }
  if (seconds < 129600) {
    return (seconds / 3600).toFixed(1) + ' h';
  }
  return (seconds / 86400).toFixed(1) + ' d';
}

function cap(s) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function freeId(registry, base) {
  let id = base;
  for (let k = 2; registry.get(id); k++) {
    id = base + k;
  }
  return id;
}

class OrbitaJourneyCanvas extends HTMLElement {
  connectedCallback() {
    if (this.modeler) {
      return;
    }
    if (!document.getElementById('orbita-journey-canvas-style')) {
      const style = document.createElement('style');
      style.id = 'orbita-journey-canvas-style';
      style.textContent = STYLE;
      document.head.appendChild(style);
    }
    this.style.display = 'block';
    this.editable = !window.matchMedia('(max-width: 600px)').matches;
    this.setAttribute('data-mode', this.editable ? 'modeler' : 'viewer');
    this.modeler = this.editable
      ? new Modeler({
        container: this,
        keyboard: { bind: true },
        orbitaCanvas: this,
        additionalModules: [{ __init__: ['orbitaPalette', 'orbitaContextPad'], orbitaPalette: ['type', OrbitaPalette],
          orbitaContextPad: ['type', OrbitaContextPad] }]
      })
      : new NavigatedViewer({ container: this });
    this.modeler.on('element.click', (e) => {
      const el = e.element;
      if (el && el.businessObject && !el.waypoints && el.type !== 'bpmn:Process' && el.type !== 'label') {
        this.dispatchEvent(new CustomEvent('node-click', { detail: { id: el.id } }));
      }
    });
    if (this.editable) {
      this.modeler.on('commandStack.changed', (e) => {
        if (this.importing || e.trigger === 'clear') {
          return;
        }
        clearTimeout(this.changeTimer);
        this.changeTimer = setTimeout(() => this.changed(), 250);
      });
    }
    if (this.pending) {
      const [xml, stats, selected] = this.pending;
      this.pending = null;
      this.show(xml, stats, selected);
    }
  }

  /** The palette's node types: [{type, label, element, shape}] and the figures' words ({in, now, out, conv, attr}), in the page's language. */
  palette(json, wordsJson) {
    this.words = JSON.parse(wordsJson);
    this.entries = JSON.parse(json);
    if (this.modeler && this.editable) {
      this.modeler.get('palette')._rebuild();
    }
  }

  /** The canvas as the server keeps it: every shape with its node type and place, every connection with its label. */
  graph() {
    const shapes = [];
    const connections = [];
    this.modeler.get('elementRegistry').forEach((e) => {
      if (!e.businessObject || e.type === 'label' || e.type === 'bpmn:Process') {
        return;
      }
      if (e.waypoints) {
        if (e.type === 'bpmn:SequenceFlow' && e.source && e.target) {
          connections.push({ from: e.source.id, to: e.target.id, name: e.businessObject.name || null });
        }
        return;
      }
      shapes.push({ id: e.id, type: (e.businessObject.$attrs || {})['orbita:type'] || null, name: e.businessObject.name || '',
        x: Math.round(e.x), y: Math.round(e.y) });
    });
    return { shapes, connections };
  }

  changed() {
    this.dispatchEvent(new CustomEvent('diagram-change', { detail: { graph: JSON.stringify(this.graph()) } }));
  }

  /** Draws the diagram (BPMN XML) with figures per node ({node: {entered, waiting, completed, exited, converted}}). */
  async show(xml, statsJson, selected) {
    if (!this.modeler) {
      this.pending = [xml, statsJson, selected];
      return;
    }
    const first = !this.hasAttribute('data-shown');
    const canvas = this.modeler.get('canvas');
    const viewbox = first ? null : canvas.viewbox();
    this.importing = true;
    try {
      await this.modeler.importXML(xml);
      if (viewbox) {
        canvas.viewbox(viewbox);
      } else {
        canvas.zoom('fit-viewport', 'auto');
        if (canvas.zoom() > 1) {
          canvas.zoom(1);
        }
      }
      this.setAttribute('data-shown', 'true');
      this.removeAttribute('data-error');
    } catch (err) {
      this.setAttribute('data-error', String(err && err.message || err));
      return;
    } finally {
      this.importing = false;
    }
    this.stats(statsJson);
    this.select(selected);
    this.problems(this.lastProblems || '[]');
    this.path(this.lastPath || '[]', this.lastHere || '');
  }

  /**
   * The journey's figures (JourneyAnalytics as JSON): per node entered, in it now, out, converted,
   * the mean time spent in it and the conversions attributed to it; per link how many took it,
   * their share and how many converted later.
   */
  stats(statsJson) {
    if (!this.modeler) {
      return;
    }
    const overlays = this.modeler.get('overlays');
    const registry = this.modeler.get('elementRegistry');
    overlays.remove({ type: 'orbita-stats' });
    const all = statsJson ? JSON.parse(statsJson) : {};
    const nodes = all.nodes || {};
    const figures = all.figures || {};
    for (const [node, s] of Object.entries(nodes)) {
      if (!registry.get(node)) {
        continue;
      }
      const f = figures[node] || {};
      const html = document.createElement('div');
      html.className = 'orbita-stat';
      html.dataset.node = node;
      const w = this.words || { in: 'in', now: 'now', out: 'out', conv: 'conv', attr: 'attr' };
      html.innerHTML = `<b>${s.entered}</b> ${w.in} · <span class="wait">${s.waiting}</span> ${w.now} · ${s.exited} ${w.out}`
        + (s.converted ? ` · <span class="conv">${s.converted} ${w.conv}</span>` : '')
        + (f.attributed ? ` · <span class="conv">${f.attributed} ${w.attr}</span>` : '')
        + (f.meanSeconds >= 1 && s.completed ? ` · ⌀ ${duration(f.meanSeconds)}` : '');
      // below the shape, and below an event's or a gateway's label
      const below = /Event|Gateway/.test(registry.get(node).type) ? -30 : -6;
      overlays.add(node, 'orbita-stats', { position: { bottom: below, left: -10 }, html });
    }
    for (const l of all.links || []) {
      const flow = registry.filter((e) => e.waypoints && e.source && e.target && e.source.id === l.from && e.target.id === l.to)[0];
      if (!flow || !l.taken) {
        continue;
      }
      const a = flow.waypoints[Math.floor((flow.waypoints.length - 1) / 2)];
      const b = flow.waypoints[Math.floor((flow.waypoints.length - 1) / 2) + 1] || a;
      const html = document.createElement('div');
      html.className = 'orbita-stat orbita-link-stat';
      html.dataset.link = l.from + '>' + l.to;
      const conv = (this.words || {}).conv || 'conv';
      html.innerHTML = `<b>${l.taken}</b> · ${Math.round(l.share * 100)}%` + (l.converted ? ` · <span class="conv">${Math.round(l.conversionRate * 100)}% ${conv}</span>` : '');
      overlays.add(flow.id, 'orbita-stats', { position: { left: (a.x + b.x) / 2 - flow.x - 20, top: (a.y + b.y) / 2 - flow.y + 4 }, html });
    }
  }

  /** Draws each node's problems on its shape ([{node, text}]): a red outline and a badge whose tooltip says what is wrong. */
  problems(json) {
    this.lastProblems = json;
    if (!this.modeler) {
      return;
    }
    const overlays = this.modeler.get('overlays');
    const registry = this.modeler.get('elementRegistry');
    const canvas = this.modeler.get('canvas');
    overlays.remove({ type: 'orbita-problem' });
    for (const node of this.problemNodes || []) {
      if (registry.get(node)) {
        canvas.removeMarker(node, 'orbita-problem');
      }
    }
    const byNode = {};
    for (const p of JSON.parse(json)) {
      if (p.node && registry.get(p.node)) {
        (byNode[p.node] = byNode[p.node] || []).push(p.text);
      }
    }
    this.problemNodes = Object.keys(byNode);
    for (const [node, texts] of Object.entries(byNode)) {
      canvas.addMarker(node, 'orbita-problem');
      const badge = document.createElement('div');
      badge.className = 'orbita-problem-badge';
      badge.dataset.node = node;
      badge.title = texts.join('\n');
      badge.textContent = '!';
      overlays.add(node, 'orbita-problem', { position: { top: -9, right: 9 }, html: badge });
    }
  }

  /** Highlights a profile's path: the nodes it passed and the one it is at now. */
  path(json, here) {
    this.lastPath = json;
    this.lastHere = here;
    if (!this.modeler) {
      return;
    }
    const canvas = this.modeler.get('canvas');
    const registry = this.modeler.get('elementRegistry');
    for (const node of this.pathNodes || []) {
      if (registry.get(node)) {
        canvas.removeMarker(node, 'orbita-path');
        canvas.removeMarker(node, 'orbita-here');
      }
    }
    this.pathNodes = [];
    // the nodes passed, then the one it is at now (it has not passed it yet)
    for (const node of [...JSON.parse(json).filter((n) => n !== here), here]) {
      if (node && registry.get(node) && !this.pathNodes.includes(node)) {
        canvas.addMarker(node, node === here ? 'orbita-here' : 'orbita-path');
        this.pathNodes.push(node);
      }
    }
  }

  select(node) {
    if (!this.modeler) {
      return;
    }
    const canvas = this.modeler.get('canvas');
    if (this.selected) {
      try { canvas.removeMarker(this.selected, 'orbita-selected'); } catch (e) { /* gone with a redraw */ }
    }
    this.selected = null;
    if (node && this.modeler.get('elementRegistry').get(node)) {
      canvas.addMarker(node, 'orbita-selected');
      this.selected = node;
    }
  }
}

customElements.define('orbita-journey-canvas', OrbitaJourneyCanvas);
