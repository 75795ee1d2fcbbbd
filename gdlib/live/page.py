"""The HTML of a live figure: panels with their pictures, the caption, the settings and the script.

Nothing in it depends on the machine: the pictures' bytes vary, so the figure's id is made
from everything else, and no path is written into it as numbers.
"""

from __future__ import annotations

import hashlib
import html
import json
import re

from .pictures import HEIGHT, TEXT, WIDTH
from .runs import describe
from .script import script

RATE_ALT = ("A map of the rate of momentum over the learning rate and the decay; dark regions converge fast, "
            "yellow ones slowly and grey ones not at all.")


class LiveFigure:
    """HTML that notebooks and the book display as a live figure."""

    def __init__(self, markup: str, config: dict):
        self.html = markup
        self.config = config

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        runs = ", ".join(r["label"] for r in self.config["runs"])
        return f"<gdlib live figure: {runs}; open it in a browser or a trusted notebook to use it>"


def markup(config, static, rate_picture, alt, caption) -> str:
    """The figure's HTML from its settings, the picture with the starting paths and the rate map (or None)."""
    blob = json.dumps(config, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")
    # The same id each time the figure is made, on any machine: the pictures' bytes (which vary) are left out.
    words = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", blob) + script()
    uid = "gdlib-live-" + hashlib.sha1(words.encode()).hexdigest()[:12]
    first = config["problems"][0]
    overlay = (f'<svg class="gl-overlay" viewBox="0 0 {WIDTH} {HEIGHT}" preserveAspectRatio="none" '
               'aria-hidden="true"></svg>')
    rate = ""
    if rate_picture is not None:
        rate = (f'<figure class="gl-panel gl-rate"><div class="gl-stage"><img class="dark-light" '
                f'data-text-scale="{TEXT}" src="data:image/png;base64,{rate_picture}" alt="{RATE_ALT}" '
                f'width="{WIDTH}" height="{HEIGHT}">'
                f"{overlay}</div></figure>")
    settings = "; ".join(describe(s) for s in config["runs"])
    n = f"{config['steps']} steps" if config["kind"] == "surface" else f"{config['epochs']} epochs"
    start = ", ".join(f"{v:g}" for v in first["w0"])
    return (f'<div class="gdlib-live" id="{uid}"><style>{CSS}</style><div class="gl-panels">'
            f'<figure class="gl-panel gl-path"><div class="gl-stage"><img class="dark-light" '
            f'data-text-scale="{TEXT}" src="data:image/png;base64,{static}" alt="{html.escape(alt, quote=True)}" '
            f'width="{WIDTH}" height="{HEIGHT}">{overlay}</div></figure>{rate}</div>'
            f'<p class="gl-caption">{html.escape(caption)}</p>'
            f'<p class="gl-static">Shown: {html.escape(settings)}; {n} from w₀ = ({start}). '
            "With JavaScript on, sliders change these settings and the start can be dragged.</p>"
            f'<script type="application/json" class="gl-config">{blob}</script>'
            f"<script>{script()}</script></div>")


CSS = """
.gdlib-live{position:relative;margin:1em 0;line-height:1.4}
.gdlib-live .gl-panels{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start}
.gdlib-live .gl-panel{flex:1 1 300px;max-width:460px;min-width:0;margin:0;background:#fff;color:#1a1a1a;
 border:1px solid #c9c9c9;border-radius:6px;overflow:hidden}
.gdlib-live .gl-stage{position:relative;line-height:0}
.gdlib-live .gl-panel .gl-stage img.dark-light{display:block;width:100%;height:auto;margin:0;padding:0;border:0;
 border-radius:0;background:#fff;filter:none}
.gdlib-live .gl-overlay{position:absolute;left:0;top:0;width:100%;height:100%;overflow:hidden}
.gdlib-live svg.gl-drawn{display:block;width:100%;height:auto;background:#fff;font:14px system-ui,sans-serif}
.gdlib-live svg text{fill:#1a1a1a}
.gdlib-live .gl-title{font-weight:600}
.gdlib-live .gl-frame{fill:none;stroke:#767676}
.gdlib-live .gl-grid{stroke:#e3e3e3}
.gdlib-live .gl-curve,.gdlib-live .gl-path-line{fill:none;stroke-width:2;stroke-linejoin:round}
.gdlib-live .gl-path-line{stroke-width:2.2}
.gdlib-live polyline[stroke-dasharray="7 4"]{stroke-width:2.8}
.gdlib-live .gl-bound{fill:none;stroke-width:1.2;stroke-dasharray:5 4;opacity:.85}
.gdlib-live .gl-start{cursor:grab;touch-action:none;outline:none}
.gdlib-live .gl-hit{fill:transparent}
.gdlib-live .gl-dot{fill:#fff;stroke:#000;stroke-width:2.5}
.gdlib-live .gl-start:focus-visible .gl-dot{stroke:#E69F00;stroke-width:4}
.gdlib-live .gl-rate .gl-overlay{cursor:crosshair}
.gdlib-live .gl-rate .gl-overlay:focus-visible{outline:3px solid #E69F00;outline-offset:-3px}
.gdlib-live .gl-mark line{stroke:#fff;stroke-width:1;stroke-dasharray:4 3}
.gdlib-live .gl-mark circle{fill:#D55E00;stroke:#fff;stroke-width:2}
.gdlib-live .gl-readout{margin:0;padding:.2em .7em .5em;line-height:1.4;font-size:.95em}
.gdlib-live .gl-legend{margin:.5em 0;font-size:.95em}
.gdlib-live .gl-legend div{margin:.15em 0}
.gdlib-live .gl-swatch{width:28px;height:10px;margin-right:.4em;vertical-align:middle;stroke-width:3}
.gdlib-live .gl-controls{display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:4px 28px}
.gdlib-live .gl-control{display:grid;grid-template-columns:minmax(0,1fr) 5.2em;align-items:center;column-gap:.6em;
 margin:0;font-weight:normal}
.gdlib-live .gl-name{grid-column:1/-1;padding-top:.4em;line-height:1.3}
.gdlib-live .gl-control input[type=range]{width:100%;min-width:0;height:44px;margin:0}
.gdlib-live .gl-control input:disabled+output{opacity:.5}
.gdlib-live .gl-control select{grid-column:1/-1;width:100%;min-height:44px;font:inherit}
.gdlib-live .gl-toggle{grid-template-columns:44px minmax(0,1fr);align-self:end}
.gdlib-live .gl-toggle .gl-name{grid-column:2;padding:0}
.gdlib-live .gl-toggle input{width:22px;height:22px;margin:11px}
.gdlib-live output{font-variant-numeric:tabular-nums}
.gdlib-live .gl-caption{margin:.4em 0 0}
.gdlib-live.gl-on .gl-static{display:none}
.gdlib-live .gl-status{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);margin:0}
/* dark themes (the book's, JupyterLab's): the panels stay white paper, a little less bright, as the book's pictures;
   the text around them takes the page's colours (the theme's light box behind HTML output is dropped) */
html[data-theme=dark] .gdlib-live .gl-panel,body[data-jp-theme-light=false] .gdlib-live .gl-panel{
 filter:brightness(.9);border-color:#6b6b6b}
html[data-theme=dark] .bd-content div.cell_output div.output.text_html:has(.gdlib-live){background:transparent;
 color:inherit;padding:0}
/* phones: the legend and the controls right under the path, so that a finger on a slider sees the path move */
@media (max-width:600px){
.gdlib-live.gl-on{display:flex;flex-direction:column;gap:12px}
.gdlib-live.gl-on .gl-panels{display:contents}
.gdlib-live.gl-on .gl-panel{order:4;flex:none;width:100%;max-width:none;box-sizing:border-box}
.gdlib-live.gl-on .gl-path{order:1}
.gdlib-live.gl-on .gl-legend{order:2;margin:0}
.gdlib-live.gl-on .gl-controls{order:3}
.gdlib-live.gl-on .gl-caption{order:5;margin:0}
}
"""
