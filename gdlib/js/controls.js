// Controls: sliders whose positions step through rounded values (the value shown is the value
// used), choices, switches, and points the reader moves with a mouse, a finger or the arrow keys.
import { format, html } from "./draw.js";

const PER_DECADE = 20; // slider positions per factor of ten (log scales) or per decade of 1 - β
// how close a position of the grid may come to a mark or an end, in steps
const SNAP = 1 / 3;

const range = (n) => Array.from({ length: n }, (_, k) => k);

// 1 - β rounded to two significant digits, with β written with as many decimals: 0.911, 0.99, 0.
function decay_value(u) {
  const r = Number((10 ** -Math.max(u, 0)).toPrecision(2));
  return Number((1 - r).toFixed(Math.max(1, 1 - Math.floor(Math.log10(r)))));
}

// The values a slider steps through: equal ratios ("log": lr, eps, tau), equal steps of
// u = -log10(1 - β) ("decay": β near 1 gets room), or a list. The start value and the ends of the
// range are kept exactly, and so are the marks: values the text names, such as a limit or the best
// setting, as positions of their own; a step of the grid closer than SNAP steps to one of them gives way.
export function grid({ scale, low, high, value, options, marks = [] }) {
  if (scale === "list") return options;
  const key = scale === "log" ? Math.log10 : (b) => -Math.log10(1 - b);
  const at = { log: (k) => Number((value * 10 ** (k / PER_DECADE)).toPrecision(3)),
    decay: (k) => decay_value(key(value) + k / PER_DECADE) }[scale];
  if (!at) throw new RangeError(`unknown slider scale ${scale}`);
  const fixed = [low, high, value, ...marks], values = [...fixed];
  for (let k = Math.floor((key(low) - key(value)) * PER_DECADE); k <= (key(high) - key(value)) * PER_DECADE + 1; k++) {
    const v = at(k);
    if (v > low && v < high && fixed.every((f) => Math.abs(key(v) - key(f)) * PER_DECADE >= SNAP)) values.push(v);
  }
  return [...new Set(values)].sort((a, b) => a - b);
}

// The text of each position: as many digits as it takes (three at least) to tell it from its neighbours.
export function readouts(values, show = format) {
  return values.map((v, k) => {
    let d = 3;
    while (d < 9 && [values[k - 1], values[k + 1]].some((x) => x !== undefined && show(x, d) === show(v, d))) d++;
    return show(v, d);
  });
}

// The position of the grid value nearest to v (on the slider's own scale).
export function nearest(values, v, scale) {
  if (scale === "list") return Math.max(0, values.indexOf(v));
  const key = scale === "log" ? Math.log10 : scale === "decay" ? (b) => -Math.log10(1 - b) : (x) => x;
  let best = 0;
  values.forEach((x, k) => { if (Math.abs(key(x) - key(v)) < Math.abs(key(values[best]) - key(v))) best = k; });
  return best;
}

// A labelled slider. spec: {text, symbol, scale, low, high, value, options, show}; onchange(value).
export function slider(parent, spec, onchange) {
  const values = grid(spec);
  const row = html("label", { class: "gl-control" }, parent);
  html("span", { class: "gl-name" }, row, spec.text);
  const input = html("input", { type: "range", min: 0, max: values.length - 1, step: 1 }, row);
  const out = html("output", { "aria-hidden": "true" }, row);
  const texts = readouts(values, spec.show);
  const render = () => {
    const text = texts[Number(input.value)];
    out.textContent = text;
    input.setAttribute("aria-valuetext", `${spec.symbol} = ${text}`);
  };
  input.value = String(nearest(values, spec.value, spec.scale));
  render();
  input.addEventListener("input", () => {
    render();
    onchange(values[Number(input.value)]);
  });
  return {
    input, values,
    get value() { return values[Number(input.value)]; },
    // Move to the grid value nearest v without telling anyone (the caller recomputes once).
    set(v) { input.value = String(nearest(values, v, spec.scale)); render(); },
    step(by) { input.value = String(Math.max(0, Math.min(values.length - 1, Number(input.value) + by))); render(); },
  };
}

// A labelled drop-down list. options: [{value, text}].
export function choice(parent, spec, onchange) {
  const row = html("label", { class: "gl-control" }, parent);
  html("span", { class: "gl-name" }, row, spec.text);
  const select = html("select", {}, row);
  spec.options.forEach((o, k) => html("option", { value: String(k) }, select, o.text));
  select.value = String(Math.max(0, spec.options.findIndex((o) => o.value === spec.value)));
  select.addEventListener("change", () => onchange(spec.options[Number(select.value)].value));
  return { input: select, get value() { return spec.options[Number(select.value)].value; } };
}

// A labelled on/off switch.
export function toggle(parent, spec, onchange) {
  const row = html("label", { class: "gl-control gl-toggle" }, parent);
  const box = html("input", { type: "checkbox" }, row);
  html("span", { class: "gl-name" }, row, spec.text);
  box.checked = Boolean(spec.value);
  box.addEventListener("change", () => onchange(box.checked));
  return { input: box, get value() { return box.checked; } };
}

// Pointer input on an SVG panel: onpoint(x, y) in the panel's units. A mouse drags anywhere on the
// panel; a finger or pen drags the `handle` only (elsewhere it scrolls the page) and taps to jump.
export function pointer(panel, { handle = null, onpoint }) {
  const at = (event) => {
    const box = panel.getBoundingClientRect(), view = panel.viewBox.baseVal;
    return [(event.clientX - box.left) * (view.width / box.width),
      (event.clientY - box.top) * (view.height / box.height)];
  };
  let dragging = null, last = [NaN, NaN];
  const go = ([x, y]) => {
    last = [x, y];
    onpoint(x, y);
  };
  panel.addEventListener("pointerdown", (event) => {
    const onHandle = handle !== null && handle.contains(event.target);
    if (!(onHandle || event.pointerType === "mouse")) return;
    dragging = event.pointerId;
    panel.setPointerCapture(event.pointerId);
    event.preventDefault(); // which also keeps the browser from focusing: do it here, so the arrow keys go on
    const keys = handle || panel;
    if (keys.hasAttribute("tabindex")) keys.focus({ preventScroll: true });
    if (!onHandle) go(at(event));
  });
  panel.addEventListener("pointermove", (event) => {
    if (event.pointerId === dragging) go(at(event));
  });
  const stop = (event) => {
    if (event.pointerId === dragging) dragging = null;
  };
  panel.addEventListener("pointerup", stop);
  panel.addEventListener("pointercancel", stop);
  panel.addEventListener("click", (event) => { // a tap on a touch screen; a mouse click already moved
    const p = at(event), again = Math.hypot(p[0] - last[0], p[1] - last[1]) <= 0.5;
    if (!again && !(handle !== null && handle.contains(event.target))) go(p);
  });
}

// Arrow keys on a focusable element: onkey(dx, dy) with steps of 1, or 10 with Shift.
export function arrows(element, onkey) {
  element.addEventListener("keydown", (event) => {
    const move = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] }[event.key];
    if (!move) return;
    event.preventDefault();
    const by = event.shiftKey ? 10 : 1;
    onkey(move[0] * by, move[1] * by);
  });
}
