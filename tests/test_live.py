"""Live figures, the Python side: what gdlib.live exports, its checks, and the JavaScript unit tests.

The browser side (the port against gdlib, every control on every kind of figure) is in
tests/test_live_browser.py.
"""

import base64
import json
import re
import shutil
import subprocess
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import live_cases  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import gdlib  # noqa: E402
from gdlib import data, live, plots, schedules, surfaces  # noqa: E402
from gdlib.live import export, page, pictures  # noqa: E402
from gdlib.live import runs as runs_  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BOWL = surfaces.quadratic((1.0, 10.0), angle=30)


def config_of(fig) -> dict:
    return json.loads(re.search(r'<script type="application/json" class="gl-config">(.*?)</script>', fig.html).group(1))


def test_epoch_orders_are_the_shuffles_of_fit():
    """Replaying fit with the exported orders in plain numpy gives fit's path exactly."""
    X, y = data.line_100()
    B, epochs, seed, lr = 32, 3, 7, 0.1
    h = gdlib.fit(gdlib.mse, np.zeros(2), X, y, gdlib.gd(lr), batch_size=B, epochs=epochs, seed=seed)
    w, path = np.zeros(2), [np.zeros(2)]
    for order in live.epoch_orders(len(y), epochs, seed):
        for start in range(0, len(y), B):
            rows = order[start:start + B]
            w = w - lr * gdlib.mse.grad(w, X[rows], y[rows])
            path.append(w)
    assert len(path) == h.steps + 1 == epochs * 4 + 1  # ceil(100 / 32) = 4 steps per epoch, the last of 4 examples
    np.testing.assert_array_equal(np.array(path), h.trajectory)


@pytest.mark.parametrize("surface, spec", [
    (BOWL, {"kind": "quadratic", "curvatures": [1.0, 10.0], "angle": 30.0}),
    (surfaces.quadratic((1.0, 100.0)), {"kind": "quadratic", "curvatures": [1.0, 100.0], "angle": 0.0}),
    (surfaces.quadratic((3.0, 0.5), angle=-12.5), None),
    (surfaces.rosenbrock(), {"kind": "rosenbrock", "a": 1.0, "b": 100.0}),
    (surfaces.rosenbrock(2.0, 50.0), {"kind": "rosenbrock", "a": 2.0, "b": 50.0}),
    (surfaces.saddle(), {"kind": "saddle"}),
    (surfaces.camel(), {"kind": "camel"}),
])
def test_surfaces_are_exported_by_the_parameters_that_rebuild_them(surface, spec):
    got = export.surface_spec(surface)
    if spec is not None:
        assert got == spec
    rebuilt = {"quadratic": lambda s: surfaces.quadratic(s["curvatures"], s["angle"]),
               "rosenbrock": lambda s: surfaces.rosenbrock(s["a"], s["b"]),
               "saddle": lambda s: surfaces.saddle(), "camel": lambda s: surfaces.camel()}[got["kind"]](got)
    probe = np.array([[0.3, -0.7], [-1.1, 0.4], [1.7, 2.2]])
    np.testing.assert_array_equal(rebuilt.value(probe), surface.value(probe))  # exactly the same function


def test_unknown_surfaces_are_refused():
    X, y = data.line_100()
    for surface in [surfaces.loss_surface(gdlib.mse, X, y), surfaces.quadratic((1.0, 2.0, 3.0))]:
        with pytest.raises(ValueError, match="live figures know the 2-D surfaces"):
            export.surface_spec(surface)


@pytest.mark.parametrize("case", live_cases.surface_cases() + live_cases.data_cases(), ids=lambda c: c["name"])
def test_the_identity_cases_are_not_chaotic(case):
    """A relative 1e-12 change of the start moves no path by more than AMPLIFICATION times as much.

    So the bit-level differences between the browser and numpy (Math.pow, BLAS) stay far
    below the test's tolerance, and the browser test catches any real drift.
    """
    a = live_cases.reference(case).trajectory
    w0 = np.array(case.get("w0", (0.5, 0.5)), dtype=float)
    b = live_cases.reference(case, w0 + 1e-12 * np.maximum(np.abs(w0), 1)).trajectory
    assert a.shape == b.shape
    relative = np.abs(a - b).max(axis=1) / np.abs(a).max(axis=1)
    assert relative.max() <= live_cases.AMPLIFICATION * 1e-12
    assert len(a) > 1 or "overflows" in case["name"]


def test_momentum_rate():
    # beta = 0: gradient descent, |1 - alpha lambda| in the worst direction
    assert export._momentum_rate(0.05, 0.0, (1.0, 10.0)) == pytest.approx(0.95)
    assert export._momentum_rate(0.15, 0.0, (1.0, 10.0)) == pytest.approx(0.85)
    # complex roots: |r| = sqrt(beta); the book's best (alpha, beta) for kappa = 100 gives 9/11
    assert export._momentum_rate(0.05, 0.9, (1.0, 100.0)) == pytest.approx(np.sqrt(0.9))
    beta = (9 / 11) ** 2
    assert export._momentum_rate(4 / 121 / (1 - beta), beta, (1.0, 100.0)) == pytest.approx(9 / 11)
    rho = export._momentum_rate(np.array([0.1, 10.0]), np.array([0.5, 0.5]), (1.0,))
    assert rho.shape == (2,) and rho[0] < 1 < rho[1]


def test_marks_and_the_best_pair_are_exact_positions_of_the_sliders():
    assert export.best_pair((1.0, 100.0)) == (0.1, (9 / 11) * (9 / 11))  # alpha* = 1 / sqrt(1 * 100) exactly
    lr_best, beta_best = export.best_pair((0.5, 8.0))  # kappa = 16: sqrt(beta) = 3/5, alpha = 1 / sqrt(4)
    assert lr_best == 0.5 and beta_best == pytest.approx(0.36, rel=1e-15)
    marks = (0.1, 2 / 11, 0.2)
    config = config_of(live.figure(BOWL, {"gd": gdlib.gd(0.05)}, w0=(-1.5, 1.5),
                                   controls=[live.Control("lr", low=0.005, high=0.3, marks=marks)]))
    assert config["controls"][0]["marks"] == sorted(marks) and "rate" not in config
    runs = {"gd": gdlib.gd(2 / 101), "momentum": gdlib.momentum(0.05, 0.9)}
    config = config_of(live.figure(surfaces.quadratic((1.0, 100.0)), runs, w0=(-1.5, 1.0),
                                   controls=[live.Control("lr", run="momentum", low=0.001, high=1.0)],
                                   views=("path", "rate")))
    lr, beta = (c for c in config["controls"] if c.get("key"))
    assert lr["marks"] == [0.1] and beta["marks"] == [(9 / 11) * (9 / 11)] and len(config["controls"]) == 2
    assert config["rate"]["best"] == [0.1, (9 / 11) * (9 / 11)]
    # A map whose sliders do not reach the best pair, or on data, has no star to click.
    narrow = config_of(live.figure(surfaces.quadratic((1.0, 100.0)), {"m": gdlib.momentum(0.05, 0.9)}, w0=(-1.5, 1.0),
                                   controls=[live.Control("lr", low=0.001, high=0.08)], views=("path", "rate")))
    assert narrow["rate"]["best"] is None and all("marks" not in c for c in narrow["controls"])
    X, y = data.line_100()
    on_data = config_of(live.figure((X, y), {"m": gdlib.momentum(0.1, 0.5)}, w0=(0.0, 0.0), views=("path", "rate")))
    assert on_data["rate"]["best"] is None


def test_figure_html_is_stable_self_contained_and_carries_gdlib_paths():
    runs = {"gd": gdlib.gd(2 / 101), "momentum": gdlib.momentum(0.05, 0.9)}
    make = lambda: live.figure(surfaces.quadratic((1.0, 100.0)), runs, w0=(-1.5, 1.0), steps=100,  # noqa: E731
                               controls=[live.Control("lr", run="gd"), live.Control("lr", run="momentum"), "beta"],
                               views=("path", "loss", "eigen", "rate"), alt="a long bowl", caption="Try beta near 1.")
    fig = make()
    assert fig.html == make().html  # nbval compares outputs: no random ids or timings
    assert fig._repr_html_() == fig.html and "gd, momentum" in repr(fig)
    assert "http" not in fig.html.replace("http://www.w3.org", "")  # nothing from the network
    assert 'alt="a long bowl"' in fig.html and "Try beta near 1." in fig.html
    config = config_of(fig)
    assert config["problems"][0]["surface"] == {"kind": "quadratic", "curvatures": [1.0, 100.0], "angle": 0.0}
    assert [c["name"] for c in config["controls"]] == ["lr", "lr", "beta"]
    assert config["controls"][1]["key"] == "lr" and config["controls"][2]["key"] == "beta"  # the map moves them
    assert config["rate"]["run"] == 1
    # Without JavaScript: gdlib's own paths drawn into the picture; the clean contours wait in the settings.
    # No path is written into the HTML as numbers (chaotic paths differ in their last digits between machines).
    assert "<polyline" not in fig.html and fig.html.count("<img ") == 2  # the paths and the rate map
    static = re.search(r'<img class="dark-light" data-text-scale="[0-9.]+" src="data:image/png;base64,([^"]+)"',
                       fig.html).group(1)
    clean = config["problems"][0]["picture"].removeprefix("data:image/png;base64,")
    assert static != clean and "Shown: gd: α = 0.019802; momentum: α = 0.05, β = 0.9; 100 steps" in fig.html


def test_the_html_words_do_not_depend_on_the_pictures_bytes():
    """Pictures vary in their bytes between machines (nbval ignores them); the rest of the HTML must not."""
    fig = live.figure(BOWL, {"gd": gdlib.gd(0.1)}, w0=(-1.5, 1.5))
    config = config_of(fig)
    static = re.search(r'src="data:image/png;base64,([^"]+)"', fig.html).group(1)
    other = json.loads(json.dumps(config))
    other["problems"][0]["picture"] = "data:image/png;base64,AAAA"
    again = page.markup(other, "BBBB", None, "", "")
    words = lambda h: re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "IMAGE", h)  # noqa: E731
    assert words(again) == words(page.markup(config, static, None, "", "")) and static != "BBBB"


def test_pixel_box_is_where_matplotlib_draws_the_data():
    fig = live.figure(BOWL, {"gd": gdlib.gd(0.1)}, w0=(-2.0, -2.0))  # the corner of the view
    x0, y0, w, h = config_of(fig)["problems"][0]["box"]
    canvas, ax = pictures.canvas()
    gdlib.plots.contour(BOWL, ax=ax)
    ax.set_aspect("equal")
    png, box = pictures.png(canvas, ax)
    assert box == [x0, y0, w, h]
    # matplotlib's own transform of the view's corners, in panel units (y downwards), is the box's corners
    corners = ax.transData.transform([(-2.0, -2.0), (2.0, 2.0)]) * 100 / live.DPI
    assert corners[0] == pytest.approx((x0, live.HEIGHT - (y0 + h)), abs=0.01)
    assert corners[1] == pytest.approx((x0 + w, live.HEIGHT - y0), abs=0.01)
    assert w == pytest.approx(h, rel=0.01)  # equal aspect: both axes span 4
    # The eigenvector axes (figures with the eigen view) keep the view and the box the overlay is drawn in.
    with_axes, box_axes = pictures.contour_picture(BOWL, (-2.0, 2.0), (-2.0, 2.0), True, None, axes=True)
    plain, box_plain = pictures.contour_picture(BOWL, (-2.0, 2.0), (-2.0, 2.0), True, None)
    assert box_axes == box_plain == [x0, y0, w, h] and with_axes != plain
    assert base64.b64decode(png)[:8] == b"\x89PNG\r\n\x1a\n"


def test_data_figures_carry_the_data_bits_and_the_orders_of_fit():
    X, y = data.line_100()
    fig = live.figure((X, y), {"SGD": live.Run(gdlib.gd(0.05), batch_size=1)}, w0=(0.0, 0.0), epochs=3,
                      controls=["lr", "batch_size", "seed", "schedule", "tau"])
    config = config_of(fig)
    got = config["data"]
    np.testing.assert_array_equal(np.frombuffer(base64.b64decode(got["X"]), "<f8").reshape(-1, 2), X)
    np.testing.assert_array_equal(np.frombuffer(base64.b64decode(got["y"]), "<f8"), y)
    assert sorted(got["orders"]) == ["0", "1", "2"]  # the seeds the seed control offers
    orders = np.frombuffer(base64.b64decode(got["orders"]["1"]), "<u2").reshape(3, 100)
    np.testing.assert_array_equal(orders, live.epoch_orders(100, 3, 1))
    batch = next(c for c in config["controls"] if c["name"] == "batch_size")
    assert batch["options"] == [1, 2, 4, 8, 16, 32, 64, None]
    assert config["runs"][0]["color_by"] == "batch" and config["runs"][0]["label_by"] == "batch"
    # Full-batch runs on data need no shuffles at all.
    plain = config_of(live.figure((X, y), {"gd": gdlib.gd(0.1)}, w0=(0.0, 0.0), epochs=50))
    assert plain["data"]["orders"] == {}


def test_scheduled_and_nesterov_runs_are_read_from_gdlib_optimizers():
    X, y = data.line_100()
    runs = {"a": live.Run(schedules.scheduled(gdlib.rmsprop, schedules.inverse_sqrt(0.01, 30), beta=0.8), 4, 2),
            "b": gdlib.momentum(0.1, 0.5, nesterov=True)}
    config = config_of(live.figure((X, y), runs, w0=(0.0, 0.0), controls=[live.Control("lr", run="a")]))
    a, b = config["runs"]
    assert (a["optimizer"], a["lr"], a["schedule"], a["tau"], a["beta"], a["batch_size"], a["seed"]) == \
        ("rmsprop", 0.01, "inverse_sqrt", 30, 0.8, 4, 2)
    assert (b["optimizer"], b["nesterov"], b["beta"], b["schedule"]) == ("momentum", True, 0.5, "constant")


def test_runs_of_one_kind_share_their_colour_and_the_second_is_dashed():
    X, y = data.line_100()
    decaying = schedules.scheduled(gdlib.gd, schedules.inverse_time(0.05, 100))
    fig = live.figure((X, y), {"constant": live.Run(gdlib.gd(0.05), 1), "decaying": live.Run(decaying, 1)},
                      w0=(0.0, 0.0), epochs=1, controls=["lr", live.Control("schedule", run="decaying"),
                                                         live.Control("tau", run="decaying")])
    config = config_of(fig)
    # SGD twice at B = 1: the batch size's colour (never gradient descent's blue or momentum's orange), dashed second
    assert [r["color_by"] for r in config["runs"]] == ["batch", "batch"]
    assert {runs_.colour(r) for r in config["runs"]} == {plots.color(1)}
    assert [runs_.dashed(config["runs"], k) for k in range(2)] == [False, True]
    assert "index" not in config["colors"]
    # the controls of one run name it by what it is now (the page writes the name), and the legend can say the schedule
    tau = next(c for c in config["controls"] if c["name"] == "tau")
    assert (tau["text"], tau["of"]) == ("τ of the schedule", 1)
    assert config["schedules"]["constant"] == "constant α"
    # two runs of one optimizer on a surface: the optimizer's colour, the second dashed
    two = config_of(live.figure(BOWL, {"a": gdlib.gd(0.1), "b": gdlib.gd(0.1)}, w0=(-1.5, 1.5), controls=[]))
    assert {runs_.colour(r) for r in two["runs"]} == {plots.color("gd")}
    assert [runs_.dashed(two["runs"], k) for k in range(2)] == [False, True]
    # one run on data keeps its optimizer's colour
    assert config_of(live.figure((X, y), {"gd": gdlib.gd(0.1)}, w0=(0.0, 0.0), epochs=1))["runs"][0]["color_by"] == \
        "optimizer"


def test_nesterov_runs_are_named_and_dashed_as_the_page_draws_them():
    config = config_of(live.figure(BOWL, {"gd": gdlib.gd(0.05), "momentum": gdlib.momentum(0.05, 0.9, nesterov=True)},
                                   w0=(-1.5, 1.5), controls=["nesterov"]))
    gd, momentum = config["runs"]
    assert [runs_.name(r, None) for r in config["runs"]] == ["gd", "momentum (Nesterov)"]
    assert (runs_.colour(momentum), runs_.dashed(config["runs"], 1)) == (plots.color("nesterov"), True)
    assert runs_.name({**momentum, "label": "Nesterov"}, None) == "Nesterov"  # said once


@pytest.mark.parametrize("kwargs, error, match", [
    ({"runs": {"heavy ball": gdlib.Optimizer("heavy_ball", {"lr": 0.1}, lambda w: None, lambda w, g, s: (w, s))}},
     TypeError, "port gdlib's optimizers"),
    ({"controls": ["speed"]}, ValueError, "unknown control 'speed'"),
    ({"controls": ["beta"]}, ValueError, "no run of this figure has the setting 'beta'"),
    ({"controls": [live.Control("lr", run="adam")]}, ValueError, "names run 'adam'"),
    ({"w0": (5.0, 0.0)}, ValueError, "inside the view"),
    ({"views": ("loss",)}, ValueError, "views must include 'path'"),
    ({"views": ("path", "rate")}, ValueError, "needs a momentum run"),
    ({"problem": surfaces.rosenbrock(), "views": ("path", "eigen")}, ValueError, "needs a quadratic or data"),
    ({"controls": ["batch_size"]}, ValueError, "needs data"),
    ({"controls": ["seed"]}, ValueError, "needs data"),
    ({"runs": {"a": gdlib.gd(0.1), "b": gdlib.gd(0.2)}}, ValueError, "start at different values"),
    ({"runs": {"a": live.Run(gdlib.gd(0.1), batch_size=4)}}, ValueError, "apply to data"),
    ({"runs": {str(k): gdlib.gd(0.1) for k in range(3)}}, ValueError, "one or two runs"),
    ({"controls": [live.Control("lr", low=0.2, high=1.0)]}, ValueError, "must hold the start value"),
    ({"controls": [live.Control("lr", low=0.01, high=0.3, marks=(0.5,))]}, ValueError, "must lie in the range"),
    ({"controls": ["lr", live.Control("nesterov", marks=(0.5,))], "runs": {"m": gdlib.momentum(0.1)}}, ValueError,
     "only sliders of numbers"),
])
def test_bad_figures_get_clear_errors(kwargs, error, match):
    arguments = {"problem": BOWL, "runs": {"gd": gdlib.gd(0.1)}, "w0": (-1.5, 1.5), "controls": ["lr"]} | kwargs
    with pytest.raises(error, match=match):
        live.figure(arguments.pop("problem"), arguments.pop("runs"), **arguments)


def test_a_choice_of_surfaces_gets_a_picture_and_a_start_each():
    X, y = data.line_100()
    problems = {"quadratic": BOWL, "rosenbrock": surfaces.rosenbrock(), "saddle": surfaces.saddle(),
                "camel": surfaces.camel(), "line data": (X, y)}
    starts = {"quadratic": (-1.5, 1.5), "rosenbrock": (-1.2, 1.0), "saddle": (1.0, 0.01), "camel": (-1.5, 1.0),
              "line data": (0.0, 0.0)}
    fig = live.figure(problems, {"gd": gdlib.gd(0.01), "adam": gdlib.adam(0.01)}, w0=starts, steps=300,
                      controls=[live.Control("optimizer", run="gd"), live.Control("lr", run="gd"),
                                live.Control("optimizer", run="adam"), live.Control("lr", run="adam")])
    config = config_of(fig)
    assert config["controls"][0]["name"] == "surface"
    assert [o["text"] for o in config["controls"][0]["options"]] == list(problems)
    assert [p["surface"]["kind"] for p in config["problems"]] == ["quadratic", "rosenbrock", "saddle", "camel",
                                                                  "loss_surface"]
    assert fig.html.count("<img ") == 1  # the first surface with the starting paths; contours come with the settings
    assert all(p["picture"].startswith("data:image/png;base64,") for p in config["problems"])
    assert [r["label_by"] for r in config["runs"]] == ["optimizer", "optimizer"]
    with pytest.raises(ValueError, match="one start per surface"):
        live.figure(problems, {"gd": gdlib.gd(0.01)}, w0=(0.0, 0.0) and {"quadratic": (0.0, 0.0)})


def test_script_is_small_and_defines_every_module():
    script = live.script()
    assert len(script.encode()) <= 40_000  # the budget per page
    for name in live.MODULES:
        assert f"modules.{name} = (function" in script
    assert "import " not in script and "export " not in script and "</" not in script


def test_the_javascript_and_the_package_ship_with_gdlib():
    project = (ROOT / "pyproject.toml").read_text()
    patterns = re.search(r"^gdlib = \[(.*)\]", project, re.MULTILINE).group(1)
    assert '"js/*.js"' in patterns and '"js/package.json"' in patterns  # package-data
    assert {p.stem for p in (ROOT / "gdlib" / "js").glob("*.js")} == set(live.MODULES)
    assert '"gdlib.live"' in re.search(r"^packages = \[(.*)\]", project, re.MULTILINE).group(1)


def test_each_module_of_the_package_fits_on_a_screen():
    for path in (ROOT / "gdlib" / "live").glob("*.py"):
        assert len(path.read_text().splitlines()) <= 180, f"{path.name}: split it by job"


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_javascript_unit_tests():
    result = subprocess.run(["node", "--test", "tests/js/"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert re.search(r"^# fail 0$", result.stdout, flags=re.MULTILINE)
    check = subprocess.run(["node", "--check", "--input-type=commonjs"], input=live.script(), capture_output=True,
                           text=True, timeout=60)
    assert check.returncode == 0, check.stderr


def test_the_bundle_drops_comments_but_never_inside_strings_or_patterns():
    from gdlib.live.script import _code
    assert _code("    const a = b + 1; // why") == "const a = b + 1;"
    assert _code('  const url = "a // b"; // why') == 'const url = "a // b"; // why'  # quotes: kept whole
    assert _code("  x = s.split(/ // /); // why") == "x = s.split(/ // /); // why"  # a pattern: kept whole
