"""Interactive figures that need no Python: optimizer paths played step by step in the browser.

The contour picture is drawn once, as an image (sharp on high-density screens);
the paths lie over it as SVG, in pixel coordinates taken from matplotlib's own
transforms. Buttons and a slider choose the frame. The HTML needs no kernel and
no network, so it works in the published book and in JupyterLab; without
JavaScript it shows its opening frame.

It styles itself from the page's colours (the book's theme, light or dark, or
JupyterLab's), keeps the picture and the paths in one box so they stay aligned,
and speaks sensibly to screen readers: the slider says which step it shows, the
Play button says Play or Pause, and the frame is announced when the figure stops,
not at every frame while it plays.
"""

from __future__ import annotations

import base64
import hashlib
import html
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
    report = _reporter(surface)
    longest = max(len(p) for p in paths.values()) - 1
    clock = np.unique(np.linspace(0, longest, min(frames, longest) + 1).round().astype(int))
    shown = []
    for t in clock:
        upto = [int(min(t, len(p) - 1)) if sync == "step" else round(t / longest * (len(p) - 1))
                for p in paths.values()]
        values = "; ".join(f"{label}: {report(p[k])}" for (label, p), k in zip(paths.items(), upto, strict=True))
        head = f"step {t}" if sync == "step" else f"{round(100 * t / longest)}% of each run"
        shown.append((upto, f"{head}. {values}", head))
    return _render(surface, paths, shown, title, xlim, ylim, alt, start=len(shown) - 1)


def sweep_player(surface, runs: dict, *, title: str | None = None, xlim=None, ylim=None, alt: str = "",
                 start: int | str | None = None) -> Player:
    """One whole path per frame: for sweeping a setting such as the learning rate.

    ``runs``: a dict ``label -> History or array``, one frame each, in order.
    ``start``: the frame the figure opens on (and shows without JavaScript), as an
    index or a label; by default the run that ends lowest among those that did not
    diverge, so that a reader first sees the sweep at its best, not a blow-up.
    """
    paths = {label: _trajectory(run) for label, run in runs.items()}
    report = _reporter(surface)
    shown, finals = [], []
    for i, (label, run) in enumerate(runs.items()):
        upto = [len(p) - 1 if j == i else -1 for j, p in enumerate(paths.values())]
        diverged = (isinstance(run, History) and run.diverged) or not np.all(np.isfinite(paths[label][-1]))
        final = np.inf if diverged else float(surface.value(paths[label][-1]))
        end = "diverged" if diverged else f"{report(paths[label][-1])} after {len(paths[label]) - 1} steps"
        shown.append((upto, f"{label}: {end}", str(label)))
        finals.append(final)
    labels = [str(label) for label in runs]
    if start is None:
        start = int(np.argmin(finals)) if np.isfinite(min(finals)) else 0
    elif isinstance(start, str):
        if start not in labels:
            raise ValueError(f"start must be a frame index or one of the labels {labels}, got {start!r}.")
        start = labels.index(start)
    elif not -len(labels) <= start < len(labels):
        raise ValueError(f"start must be a frame index from 0 to {len(labels) - 1} or a label, got {start!r}.")
    return _render(surface, paths, shown, title, xlim, ylim, alt, start=start % len(labels))


def _reporter(surface):
    """How a caption reports a point: its gap to the lowest marked minimum (L - L* on a loss), else its value.

    Gaps at rounding level are reported as a bound: their digits would differ between machines.
    """
    if not surface.minima:
        return lambda w: f"f = {float(surface.value(w)):.3g}"
    low = min(float(surface.value(np.asarray(m, dtype=float))) for m in surface.minima)
    symbol = "L − L*" if surface.name.endswith("loss") else "f − f_min"

    def report(w):
        gap = float(surface.value(w)) - low
        return f"{symbol} below 1e-12" if abs(gap) < 1e-12 else f"{symbol} = {gap:.2g}"

    return report


def _star(x: float, y: float, outer: float = 7.5, inner: float = 3.2) -> str:
    """The points of a five-pointed star centred at (x, y), in SVG pixels."""
    angles = np.pi / 2 + np.arange(10) * np.pi / 5
    radii = np.where(np.arange(10) % 2 == 0, outer, inner)
    return " ".join(f"{x + r * np.cos(a):.1f},{y - r * np.sin(a):.1f}" for r, a in zip(radii, angles, strict=True))


def _render(surface, paths: dict, shown: list, title, xlim, ylim, alt: str, start: int) -> Player:
    fig, ax = plt.subplots(figsize=(plots.PANEL_WIDTHS[1], PLAYER_HEIGHT))
    plt.close(fig)  # drawn here, shown as an image: no pyplot window or inline copy
    plots.contour(surface, ax=ax, xlim=xlim, ylim=ylim, title=title)
    spans = [abs(np.diff(ax.get_xlim())[0]), abs(np.diff(ax.get_ylim())[0])]
    if max(spans) <= 3 * min(spans):  # a circle looks like a circle, unless that would squash the picture
        ax.set_aspect("equal", adjustable="box")
    for i, (label, p) in enumerate(paths.items()):
        color = plots.color_of(label, i)
        ax.plot([], [], color=color, label=label)
        ax.plot(*p[0], marker="o", markersize=8, markeredgewidth=2, color=color,
                markerfacecolor="white")  # a ring thick enough to see on a phone
    ax.legend(loc="upper right", frameon=True, framealpha=0.9)
    picture, width, height = plots.png(fig)
    image = base64.b64encode(picture).decode()
    # Measured after saving: the layout of the saved image is the one the overlay must match.
    # SVG units are the picture's CSS pixels (matplotlib's at the figure's own dpi).
    pixels = []
    for p in paths.values():  # data coordinates -> SVG pixels (y grows downwards)
        xy = ax.transData.transform(p)
        pixels.append([[round(x, 1), round(height - y, 1)] for x, y in np.nan_to_num(xy, posinf=1e6, neginf=-1e6)])
    colors = [plots.color_of(label, i) for i, label in enumerate(paths)]
    data = {"paths": pixels, "colors": colors, "frames": [upto for upto, _, _ in shown],
            "captions": [text for _, text, _ in shown], "labels": [label for _, _, label in shown], "start": start}
    blob = json.dumps(data, separators=(",", ":"))
    uid = "gdlib-player-" + hashlib.sha1(blob.encode()).hexdigest()[:12]  # stable: same run, same page
    last = len(shown) - 1
    opening = shown[start][0]  # the page opens on this frame, drawn without any script
    lines = "".join(f'<polyline fill="none" stroke="{c}" stroke-width="2" stroke-linejoin="round" '
                    f'points="{_points(path, upto)}"/>' for path, c, upto in zip(pixels, colors, opening, strict=True))
    heads = "".join(f'<circle r="4.5" fill="{c}" stroke="white" stroke-width="1.5" {_at(path, upto)}/>'
                    for path, c, upto in zip(pixels, colors, opening, strict=True))
    minima = np.asarray(surface.minima, dtype=float).reshape(-1, 2)
    values = np.array([float(surface.value(m)) for m in minima])
    lowest = values <= values.min() + 1e-12 if len(values) else values
    stars = "".join(  # the minima over the paths that end on them: the lowest filled, a local one hollow
        f'<polygon points="{_star(x, height - y)}" fill="{"#000" if low else "#fff"}" '
        f'stroke="{"#fff" if low else "#000"}" stroke-width="1"/>'
        for (x, y), low in zip(ax.transData.transform(minima), lowest, strict=True))
    box = ax.get_window_extent()  # the plotting area: paths that leave it are cut off there
    clip = (f'<clipPath id="{uid}-clip"><rect x="{box.x0:.1f}" y="{height - box.y1:.1f}" '
            f'width="{box.width:.1f}" height="{box.height:.1f}"/></clipPath>')
    markup = _TEMPLATE.format(uid=uid, width=width, height=height, image=image, alt=html.escape(alt, quote=True),
                              clip=clip, lines=lines, heads=heads + stars, last=last, start=start,
                              caption=html.escape(shown[start][1]), valuetext=html.escape(_valuetext(shown, start)),
                              style=_STYLE.replace("{uid}", uid), data=blob)
    return Player(markup)


PLAYER_HEIGHT = 3.6  # inches: a single panel's width (plots.PANEL_WIDTHS[1]) and room for the legend


def _valuetext(shown: list, k: int) -> str:
    return f"{shown[k][2]}, frame {k + 1} of {len(shown)}"


def _points(path, upto: int) -> str:
    return " ".join(f"{x},{y}" for x, y in path[: upto + 1]) if upto >= 0 else ""


def _at(path, upto: int) -> str:
    x, y = path[upto] if upto >= 0 else (-99, -99)
    return f'cx="{x}" cy="{y}"'


# The player's look, from the page's own colours: the book's theme (light or dark), else
# JupyterLab's, else plain defaults. The picture and its SVG paths share one box with no
# padding, whatever the page does to images, so that the paths stay on the picture.
_STYLE = """<style>
.gdlib-player{--gp-fg:var(--pst-color-text-base,var(--jp-ui-font-color1,#222));
 --gp-muted:var(--pst-color-text-muted,var(--jp-ui-font-color2,#555));
 --gp-bg:var(--pst-color-surface,var(--jp-layout-color2,#f3f4f5));
 --gp-line:var(--pst-color-border,var(--jp-border-color1,#bbb));
 --gp-accent:var(--pst-color-primary,var(--jp-brand-color1,#0072B2));
 margin:0 auto;color:var(--gp-fg);font-size:0.95rem;line-height:1.4}
.gdlib-player .gp-picture{position:relative;background:#fff;border-radius:6px;overflow:hidden;line-height:0}
.gdlib-player .gp-picture svg{position:absolute;left:0;top:0;width:100%;height:100%;overflow:hidden}
.gdlib-player .gp-controls{display:flex;gap:0.3rem;align-items:center;flex-wrap:wrap;margin-top:0.4rem}
.gdlib-player button{display:inline-flex;align-items:center;justify-content:center;gap:0.3rem;
 min-width:2.4rem;min-height:2.2rem;padding:0 0.5rem;margin:0;font:inherit;color:var(--gp-fg);
 background:var(--gp-bg);border:1px solid var(--gp-line);border-radius:6px;cursor:pointer}
.gdlib-player button[data-go=play]{min-width:5.6rem}
.gdlib-player button:hover{border-color:var(--gp-accent)}
.gdlib-player button:focus-visible,.gdlib-player input:focus-visible{outline:2px solid var(--gp-accent);
 outline-offset:2px}
.gdlib-player .gp-icon{width:1rem;height:1rem;fill:currentColor}
.gdlib-player input[type=range]{flex:1;min-width:8rem;margin:0 0.3rem;accent-color:var(--gp-accent)}
.gdlib-player .gdlib-caption{margin:0.3rem 0 0;color:var(--gp-muted);font-size:0.9em}
.gdlib-player .gp-status{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
html[data-theme=dark] .gdlib-player .gp-picture,
body[data-jp-theme-light=false] .gdlib-player .gp-picture{filter:brightness(0.9)}
@media (pointer:coarse){.gdlib-player button{min-width:44px;min-height:44px}
 .gdlib-player input[type=range]{min-height:44px}}
</style>"""

_ICONS = {"first": "M3 3h2v10H3zM13 3 6 8l7 5z", "back": "M12 3 5 8l7 5z", "next": "M4 3l7 5-7 5z",
          "last": "M11 3h2v10h-2zM3 3l7 5-7 5z", "play": "M4 2.5 14 8 4 13.5z", "pause": "M4 3h3v10H4zM9 3h3v10H9z"}


def _button(go: str, label: str) -> str:
    return (f'<button type="button" data-go="{go}" aria-label="{label}" title="{label}"><svg class="gp-icon" '
            f'viewBox="0 0 16 16" aria-hidden="true" focusable="false"><path d="{_ICONS[go]}"/></svg></button>')


_TEMPLATE = """<div class="gdlib-player" id="{uid}" style="max-width:{width}px">{style}
<div class="gp-picture">
<img src="data:image/png;base64,{image}" alt="{alt}" width="{width}" height="{height}"
 style="display:block;width:100%;height:auto;max-width:none;margin:0;padding:0;border:0;border-radius:0;background:none;filter:none">
<svg viewBox="0 0 {width} {height}" preserveAspectRatio="none" aria-hidden="true" focusable="false">
<defs>{clip}</defs><g clip-path="url(#{uid}-clip)">{lines}{heads}</g></svg>
</div>
<div class="gp-controls" role="group" aria-label="Play the paths">
""" + _button("first", "First frame") + _button("back", "One frame back") + """
<button type="button" data-go="play"><svg class="gp-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">\
<path d=\"""" + _ICONS["play"] + """\"/></svg><span>Play</span></button>
""" + _button("next", "One frame forward") + _button("last", "Last frame") + """
<input type="range" min="0" max="{last}" value="{start}" aria-label="Frame" aria-valuetext="{valuetext}">
</div>
<p class="gdlib-caption">{caption}</p>
<div class="gp-status" role="status"></div>
<script>
(function () {{
  var root = document.getElementById("{uid}"), data = {data};
  var lines = root.querySelectorAll("polyline"), heads = root.querySelectorAll("circle");
  var slider = root.querySelector("input"), caption = root.querySelector(".gdlib-caption");
  var status = root.querySelector(".gp-status"), play = root.querySelector("button[data-go=play]");
  var last = data.frames.length - 1, frame = data.start, timer = null;
  var icons = {{play: "{play}", pause: "{pause}"}};
  function show(k) {{
    frame = Math.max(0, Math.min(last, k));
    data.frames[frame].forEach(function (upto, i) {{
      var path = data.paths[i];
      lines[i].setAttribute("points", upto < 0 ? "" : path.slice(0, upto + 1).join(" "));
      heads[i].setAttribute("cx", upto < 0 ? -99 : path[upto][0]);
      heads[i].setAttribute("cy", upto < 0 ? -99 : path[upto][1]);
    }});
    slider.value = frame;
    slider.setAttribute("aria-valuetext", data.labels[frame] + ", frame " + (frame + 1) + " of " + (last + 1));
    caption.textContent = data.captions[frame];
  }}
  function announce() {{ status.textContent = data.captions[frame]; }}  // once, when the figure stops
  function label(playing) {{
    play.querySelector("span").textContent = playing ? "Pause" : "Play";
    play.querySelector("path").setAttribute("d", playing ? icons.pause : icons.play);
  }}
  function stop() {{ if (timer) {{ clearInterval(timer); timer = null; label(false); announce(); }} }}
  function step(k) {{ var was = timer; stop(); show(k); if (!was) {{ announce(); }} }}
  var moves = {{
    first: function () {{ step(0); }},
    back: function () {{ step(frame - 1); }},
    next: function () {{ step(frame + 1); }},
    last: function () {{ step(last); }},
    play: function () {{
      if (timer) {{ stop(); return; }}
      if (frame === last) {{ show(0); }}
      label(true);
      status.textContent = "";
      timer = setInterval(function () {{
        if (frame >= last) {{ stop(); }} else {{ show(frame + 1); }}
      }}, Math.max(40, 5000 / data.frames.length));
    }}
  }};
  root.querySelectorAll("button").forEach(function (b) {{
    b.addEventListener("click", moves[b.getAttribute("data-go")]);
  }});
  slider.addEventListener("input", function () {{  // the slider speaks its own value: no announcement
    clearInterval(timer); timer = null; label(false); show(Number(slider.value));
  }});
}})();
</script>
</div>""".replace("{play}", _ICONS["play"]).replace("{pause}", _ICONS["pause"])
