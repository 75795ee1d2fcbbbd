"""Interactive figures that need no Python: optimizer paths played step by step in the browser.

The contour picture is drawn once, as an image; the paths lie over it as SVG, in
pixel coordinates taken from matplotlib's own transforms. Buttons and a slider
choose the frame. The HTML needs no kernel and no network, so it works in the
published book; without JavaScript it shows the last frame.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json

import matplotlib.pyplot as plt
import numpy as np

from . import plots
from .train import History


class Player:
    """HTML that notebooks display as an interactive figure."""

    def __init__(self, markup: str):
        self.html = markup

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return "<gdlib Player: run in a notebook or a browser to see it>"


def _trajectory(run) -> np.ndarray:
    return run.trajectory if isinstance(run, History) else np.asarray(run, dtype=float)


def path_player(surface, runs: dict, *, title: str | None = None, xlim=None, ylim=None, sync: str = "step",
                frames: int = 100, alt: str = "") -> Player:
    """Paths on a surface, drawn up to a step chosen with buttons and a slider.

    ``runs``: a dict ``label -> History or array of shape (k, 2)``. With
    ``sync="step"`` every path stops at the same step ``t``; with
    ``sync="fraction"`` each path shows the same fraction of its own length (for
    runs that spend the same work in different numbers of steps). Long runs are
    shown at about ``frames`` frames.
    """
    if sync not in ("step", "fraction"):
        raise ValueError(f"sync must be 'step' or 'fraction', got {sync!r}.")
    paths = {label: _trajectory(run) for label, run in runs.items()}
    longest = max(len(p) for p in paths.values()) - 1
    clock = np.unique(np.linspace(0, longest, min(frames, longest) + 1).round().astype(int))
    shown = []
    for t in clock:
        upto = [int(min(t, len(p) - 1)) if sync == "step" else round(t / longest * (len(p) - 1))
                for p in paths.values()]
        values = "; ".join(f"{label}: f = {float(surface.value(p[k])):.3g}" for (label, p), k in
                           zip(paths.items(), upto, strict=True))
        head = f"step {t}" if sync == "step" else f"{round(100 * t / longest)}% of each run"
        shown.append((upto, f"{head}. {values}"))
    return _render(surface, paths, shown, title, xlim, ylim, alt)


def sweep_player(surface, runs: dict, *, title: str | None = None, xlim=None, ylim=None, alt: str = "") -> Player:
    """One whole path per frame: for sweeping a setting such as the learning rate.

    ``runs``: a dict ``label -> History or array``, one frame each, in order.
    """
    paths = {label: _trajectory(run) for label, run in runs.items()}
    shown = []
    for i, (label, run) in enumerate(runs.items()):
        upto = [len(p) - 1 if j == i else -1 for j, p in enumerate(paths.values())]
        end = "diverged" if isinstance(run, History) and run.diverged else \
            f"f = {float(surface.value(paths[label][-1])):.3g} after {len(paths[label]) - 1} steps"
        shown.append((upto, f"{label}: {end}"))
    return _render(surface, paths, shown, title, xlim, ylim, alt)


def _render(surface, paths: dict, shown: list, title, xlim, ylim, alt: str) -> Player:
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    plt.close(fig)  # drawn here, shown as an image: no pyplot window or inline copy
    plots.contour(surface, ax=ax, xlim=xlim, ylim=ylim, title=title)
    for i, (label, p) in enumerate(paths.items()):
        color = plots.color_of(label, i)
        ax.plot([], [], color=color, label=label)
        ax.plot(*p[0], marker="o", markersize=7, color=color, markerfacecolor="white")
    ax.legend(loc="upper right", frameon=True, framealpha=0.9, fontsize=8)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi)
    image = base64.b64encode(buffer.getvalue()).decode()
    # Measured after saving: the layout of the saved image is the one the overlay must match.
    width, height = fig.canvas.get_width_height()
    pixels = []
    for p in paths.values():  # data coordinates -> SVG pixels (y grows downwards)
        xy = ax.transData.transform(p)
        pixels.append([[round(x, 1), round(height - y, 1)] for x, y in np.nan_to_num(xy, posinf=1e6, neginf=-1e6)])
    colors = [plots.color_of(label, i) for i, label in enumerate(paths)]
    data = {"paths": pixels, "colors": colors, "frames": [upto for upto, _ in shown],
            "captions": [text for _, text in shown]}
    blob = json.dumps(data, separators=(",", ":"))
    uid = "gdlib-player-" + hashlib.sha1(blob.encode()).hexdigest()[:12]  # stable: same run, same page
    last = len(shown) - 1
    ends = shown[last][0]  # the page opens on the last frame, drawn without any script
    lines = "".join(f'<polyline fill="none" stroke="{c}" stroke-width="2" stroke-linejoin="round" '
                    f'points="{_points(path, upto)}"/>' for path, c, upto in zip(pixels, colors, ends, strict=True))
    heads = "".join(f'<circle r="4.5" fill="{c}" stroke="white" stroke-width="1.5" {_at(path, upto)}/>'
                    for path, c, upto in zip(pixels, colors, ends, strict=True))
    box = ax.get_window_extent()  # the plotting area: paths that leave it are cut off there
    clip = (f'<clipPath id="{uid}-clip"><rect x="{box.x0:.1f}" y="{height - box.y1:.1f}" '
            f'width="{box.width:.1f}" height="{box.height:.1f}"/></clipPath>')
    markup = _TEMPLATE.format(uid=uid, width=width, height=height, image=image, alt=html.escape(alt, quote=True),
                              clip=clip, lines=lines, heads=heads, last=last, caption=html.escape(shown[last][1]),
                              data=blob)
    return Player(markup)


def _points(path, upto: int) -> str:
    return " ".join(f"{x},{y}" for x, y in path[: upto + 1]) if upto >= 0 else ""


def _at(path, upto: int) -> str:
    x, y = path[upto] if upto >= 0 else (-99, -99)
    return f'cx="{x}" cy="{y}"'


_TEMPLATE = """<div class="gdlib-player" id="{uid}" style="max-width:{width}px">
<div style="position:relative">
<img src="data:image/png;base64,{image}" alt="{alt}" style="display:block;width:100%;height:auto">
<svg viewBox="0 0 {width} {height}" preserveAspectRatio="none" aria-hidden="true"
 style="position:absolute;left:0;top:0;width:100%;height:100%;overflow:hidden">
<defs>{clip}</defs><g clip-path="url(#{uid}-clip)">{lines}{heads}</g></svg>
</div>
<div class="gdlib-controls" style="display:flex;gap:0.3em;align-items:center;flex-wrap:wrap;margin-top:0.3em">
<button type="button" data-go="first" aria-label="first frame">|&#x25C0;</button>
<button type="button" data-go="back" aria-label="one frame back">&#x25C0;</button>
<button type="button" data-go="play" aria-label="play or pause" style="min-width:4em">Play</button>
<button type="button" data-go="next" aria-label="one frame forward">&#x25B6;</button>
<button type="button" data-go="last" aria-label="last frame">&#x25B6;|</button>
<input type="range" min="0" max="{last}" value="{last}" aria-label="frame" style="flex:1;min-width:8em">
</div>
<div class="gdlib-caption" aria-live="polite" style="font-size:0.9em">{caption}</div>
<script>
(function () {{
  var root = document.getElementById("{uid}"), data = {data};
  var lines = root.querySelectorAll("polyline"), heads = root.querySelectorAll("circle");
  var slider = root.querySelector("input"), caption = root.querySelector(".gdlib-caption");
  var frame = data.frames.length - 1, timer = null;
  function show(k) {{
    frame = Math.max(0, Math.min(data.frames.length - 1, k));
    data.frames[frame].forEach(function (upto, i) {{
      var path = data.paths[i];
      lines[i].setAttribute("points", upto < 0 ? "" : path.slice(0, upto + 1).join(" "));
      heads[i].setAttribute("cx", upto < 0 ? -99 : path[upto][0]);
      heads[i].setAttribute("cy", upto < 0 ? -99 : path[upto][1]);
    }});
    slider.value = frame;
    caption.textContent = data.captions[frame];
  }}
  var play = root.querySelector("button[data-go=play]");
  function stop() {{ clearInterval(timer); timer = null; play.textContent = "Play"; }}
  var moves = {{
    first: function () {{ stop(); show(0); }},
    back: function () {{ stop(); show(frame - 1); }},
    next: function () {{ stop(); show(frame + 1); }},
    last: function () {{ stop(); show(data.frames.length - 1); }},
    play: function () {{
      if (timer) {{ stop(); return; }}
      if (frame === data.frames.length - 1) {{ show(0); }}
      play.textContent = "Pause";
      timer = setInterval(function () {{
        if (frame >= data.frames.length - 1) {{ stop(); }} else {{ show(frame + 1); }}
      }}, Math.max(40, 5000 / data.frames.length));
    }}
  }};
  root.querySelectorAll("button").forEach(function (b) {{
    b.addEventListener("click", moves[b.getAttribute("data-go")]);
  }});
  slider.addEventListener("input", function () {{ stop(); show(Number(slider.value)); }});
}})();
</script>
</div>"""
