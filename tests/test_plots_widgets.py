"""Plot helpers, the explorers' views (gdlib.views) and the explorers themselves: each draws, and redraws."""

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import io  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

import gdlib  # noqa: E402
from gdlib import data, plots, surfaces, views  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def labelled(ax):
    return bool(ax.get_xlabel() and ax.get_ylabel() and ax.get_title())


def test_ema_by_hand():
    np.testing.assert_allclose(plots.ema([2.0, 4.0], beta=0.5), [2.0, (0.5 * 1.0 + 2.0) / 0.75])
    np.testing.assert_allclose(plots.ema(np.full(50, 3.0), beta=0.9), 3.0)  # bias correction: no warm-up dip


def test_loss_curves():
    X, y = data.line_100()
    runs = {f"lr={lr}": gdlib.fit(gdlib.mse, [0.0, 0.0], X, y, gdlib.gd(lr), epochs=20) for lr in (0.01, 0.1)}
    ax = plots.loss_curves(runs, log=True)
    assert labelled(ax) and ax.get_yscale() == "log"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["lr=0.01", "lr=0.1"]
    np.testing.assert_array_equal(ax.lines[1].get_ydata(), runs["lr=0.1"].losses)
    smooth = plots.loss_curves(np.arange(10.0), smooth=0.9)
    assert len(smooth.lines) == 2  # the raw curve, faint, and its moving average
    np.testing.assert_allclose(smooth.lines[1].get_ydata(), plots.ema(np.arange(10.0), 0.9))


def test_contour_with_paths():
    q = surfaces.quadratic()
    h = gdlib.minimize(q, [-1.5, 1.0], gdlib.gd(0.1), steps=30)
    ax = plots.contour(q, {"gd": h, "raw": h.trajectory[:5]})
    assert labelled(ax)
    path = [line for line in ax.lines if line.get_label() == "gd"][0]
    np.testing.assert_array_equal(path.get_xdata(), h.trajectory[:, 0])
    assert any(line.get_marker() == "*" for line in ax.lines)  # the minimum is marked


def test_data_fit():
    X, y = data.line_100()
    ax = plots.data_fit(X, y, {"least squares": gdlib.least_squares(X, y)})
    assert labelled(ax)
    line = ax.lines[0]
    w = gdlib.least_squares(X, y)
    np.testing.assert_allclose(line.get_ydata()[[0, -1]], w[0] + w[1] * line.get_xdata()[[0, -1]])
    Xt, yt = data.toy()
    assert plots.data_fit(Xt, yt, np.array([2.0])).lines[0].get_ydata()[-1] == pytest.approx(6.0)


def test_descent_view_renders_the_run():
    fig = plots.descent_view(surfaces.rosenbrock(), gdlib.momentum(0.001), (-1.0, 1.5), steps=40)
    left, right = fig.axes[:2]
    assert labelled(left) and labelled(right)
    assert len([line for line in left.lines if line.get_label().startswith("momentum")][0].get_xdata()) == 41
    assert "after 40 steps" in right.get_title()


def test_descent_view_reports_divergence_in_the_title_not_a_warning(recwarn):
    fig = plots.descent_view(surfaces.quadratic(), gdlib.gd(0.5), (1.0, 1.0), steps=100)
    assert "diverged" in fig.axes[1].get_title()
    assert not recwarn.list


def test_fit_view_renders_the_run():
    X, y = data.line_100()
    fig = plots.fit_view(X, y, gdlib.gd(0.05), batch_size=10, epochs=5)
    left, right = fig.axes[:2]
    assert labelled(left) and labelled(right)
    assert [t.get_text() for t in left.get_legend().get_texts()] == ["data", "gd(lr=0.05)"]
    assert len(left.collections) == 1  # the data, once
    assert len(right.lines[0].get_ydata()) == 50  # one batch loss per step
    assert len(right.lines[1].get_ydata()) == 6  # one full loss per epoch, plus the start


def test_descent_view_compares_several_optimizers():
    fig = plots.descent_view(surfaces.quadratic((1.0, 20.0)), [gdlib.gd(0.05), gdlib.momentum(0.05)], (-1.5, 1.0), 60)
    left, right = fig.axes[:2]
    assert [t.get_text() for t in right.get_legend().get_texts()] == ["gd(lr=0.05)", "momentum(lr=0.05, beta=0.9)"]
    assert all(len(line.get_ydata()) == 61 for line in right.lines)


def test_derivative_view_tangent_and_central_difference():
    X, y = data.toy()
    fig = plots.derivative_view(X, y, w=1.0, h=0.5)
    left, right = fig.axes[:2]
    assert labelled(left) and labelled(right)
    slope = gdlib.mse.grad(np.array([1.0]), X, y)[0]  # (1/3) sum 2 x (x - 2x) = -28/3
    assert slope == pytest.approx(-28 / 3)
    assert f"slope {slope:.4g}" in left.lines[1].get_label()
    # the cost is a parabola in w, so the central difference is exact for every h
    assert f"{slope:.4g}" in left.lines[2].get_label()


def test_sgd_view_shows_the_distance_to_least_squares():
    X, y = data.line_100()
    fig = plots.sgd_view(X, y, gdlib.schedules.inverse_time(0.05, 100), epochs=3)
    left, right = fig.axes[:2]
    assert labelled(left) and labelled(right)
    distance = right.lines[0].get_ydata()
    assert len(distance) == 301 and distance[-1] < distance[0] / 10


def picture(ui) -> np.ndarray:
    """The pixels an explorer shows now (its Image widget holds PNG bytes)."""
    from PIL import Image

    assert ui.image in ui.children and ui.image.format == "png"
    return np.asarray(Image.open(io.BytesIO(ui.image.value)).convert("RGB"))


MOVES = [("derivative_explorer", "w", 2.0), ("descent_explorer", "optimizer", "adam"),
         ("sgd_explorer", "schedule", "inverse_time"), ("fit_explorer", "batch_size", 4),
         ("momentum_explorer", "beta", 0.5), ("rmsprop_explorer", "eps", 0.1),
         ("adam_explorer", "beta1", 0.5), ("arena_explorer", "surface", "camel")]


@pytest.mark.parametrize("name, control, value", MOVES, ids=[m[0] for m in MOVES])
def test_every_explorer_draws_at_once_and_redraws_when_a_control_moves(name, control, value):
    from gdlib import widgets

    ui = getattr(widgets, name)()
    first = picture(ui)
    size = (round(plots.PANEL_HEIGHT * views.DPI), round(plots.PANEL_WIDTHS[2] * views.DPI), 3)
    assert first.shape == size and first.std() > 10, "no picture on first display"
    assert all(labelled(ax) for ax in ui.view.fig.axes) and not ui.status.value
    ui.controls[control].value = value
    assert ui.wait() and not ui.status.value
    second = picture(ui)
    assert (second != first).any(axis=-1).mean() > 0.002, "the picture did not change"
    # Blitting redraws only what changes: the result must be what a whole redraw draws.
    ui.view._backgrounds.clear()
    whole = np.asarray(Image.open(io.BytesIO(ui.view.png())).convert("RGB"))
    np.testing.assert_array_equal(second, whole)


def test_legends_and_readouts_show_rounded_values():
    from gdlib import widgets

    ui = widgets.descent_explorer()
    ui.controls["lr"].value = 10**-1.05  # what the log slider holds: 0.08912509381337455
    ui.wait()
    assert ui.controls["lr"].readout_format == ".3g"
    assert [t.get_text() for t in ui.view.left.get_legend().get_texts()] == ["gd(lr=0.0891)"]
    beta2 = widgets.adam_explorer().controls["beta2"]
    assert f"{0.9999:{beta2.readout_format}}" == "0.9999"  # not "1.00"


def test_a_fast_drag_skips_stale_pictures_and_ends_on_the_last_value():
    from gdlib import widgets

    ui = widgets.adam_explorer()
    for beta1 in np.linspace(0.0, 0.9, 30):
        ui.controls["beta1"].value = round(float(beta1), 2)
    assert ui.wait()
    assert 1 <= len(ui.latencies) < 30  # coalesced: never one picture per intermediate value
    labels = [t.get_text() for t in ui.view.left.get_legend().get_texts()]
    assert labels[1].startswith("adam(lr=0.05, beta1=0.9,")


def test_a_failing_render_says_why_and_keeps_the_last_picture():
    from gdlib import widgets

    def render(lr):
        return plots.descent_view(surfaces.quadratic(), gdlib.gd(lr), (1.0, 1.0), 5)

    ui = widgets.explore(render, lr=(0.0, 0.5, 0.1))
    assert ui.controls["lr"].description == "lr"
    ui.controls["lr"].value = 0.2
    ui.wait()
    before = ui.image.value
    ui.controls["lr"].value = 0.0
    ui.wait()
    assert "ValueError" in ui.status.value and "lr" in ui.status.value
    assert ui.image.value == before


def test_optimizer_labels_round_and_repr_stays_exact():
    opt = gdlib.adam(0.08912509381337455, 0.9, 0.9999)
    assert opt.label == "adam(lr=0.0891, beta1=0.9, beta2=0.9999, eps=1e-08)"
    assert repr(opt) == "adam(lr=0.08912509381337455, beta1=0.9, beta2=0.9999, eps=1e-08)"
    assert gdlib.optimizers.rounded(0.9500000000000001) == "0.95"
    assert gdlib.optimizers.rounded(1.0) == "1" and gdlib.optimizers.rounded(True) == "True"


def test_only_the_widgets_module_imports_ipywidgets():
    code = "import sys, gdlib, gdlib.plots; print('ipywidgets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_view_shows_as_a_picture_even_as_the_first_figure_of_a_kernel(tmp_path):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import gdlib\nfrom gdlib import plots, surfaces\n"
        "plots.descent_view(surfaces.quadratic(), gdlib.gd(0.1), (1.0, 1.0), 5)")])
    NotebookClient(nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = nb.cells[0].outputs
    assert len(outputs) == 1 and "image/png" in outputs[0]["data"]  # one picture, not just "<Figure ...>"


def test_an_explorer_in_a_real_kernel_shows_a_picture_and_redraws_from_its_thread(tmp_path):
    """The explorer's output is a widget whose Image holds a PNG; a move redraws it from the drawing thread."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code) for code in [
        "from gdlib import widgets\nui = widgets.descent_explorer()\nui",
        "first = ui.image.value\nui.controls['lr'].value = 0.2\nprint(ui.wait(), ui.image.value != first, "
        "ui.status.value == '', len(ui.latencies))"]])
    NotebookClient(nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}},
                   store_widget_state=True).execute()
    assert "application/vnd.jupyter.widget-view+json" in nb.cells[0].outputs[0]["data"]
    states = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"].values()
    images = [s for s in states if s["model_name"] == "ImageModel"]
    assert len(images) == 1 and images[0]["state"]["format"] == "png"
    assert nb.cells[1].outputs[0]["text"] == "True True True 1\n"
