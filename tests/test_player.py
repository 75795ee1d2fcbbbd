"""The interactive figures for the static book: paths as SVG over a contour image."""

import json
import re

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import gdlib  # noqa: E402
from gdlib import player, surfaces  # noqa: E402


def data_of(p) -> dict:
    return json.loads(re.search(r"data = (\{.*?\});\n", p.html).group(1))


def quadratic_runs(steps=30):
    q = surfaces.quadratic((1.0, 10.0))
    return q, {"gd": gdlib.minimize(q, (-1.5, 1.5), gdlib.gd(0.1), steps),
               "momentum": gdlib.minimize(q, (-1.5, 1.5), gdlib.momentum(0.1), 2 * steps)}


def test_path_player_frames_follow_the_steps():
    q, runs = quadratic_runs()
    data = data_of(player.path_player(q, runs))
    assert len(data["paths"]) == 2 and [len(p) for p in data["paths"]] == [31, 61]
    assert data["frames"][0] == [0, 0] and data["frames"][-1] == [30, 60]
    assert data["frames"][10] == [10, 10]  # the same step for both runs
    assert data["captions"][10].startswith("step 10. gd: f − f_min = ")  # the gap, not f: f_min need not be 0


def test_fraction_sync_shows_the_same_share_of_each_run():
    q, runs = quadratic_runs()
    data = data_of(player.path_player(q, runs, sync="fraction", frames=10))
    assert data["frames"][5] == [15, 30]
    assert data["captions"][5].startswith("50% of each run")
    with pytest.raises(ValueError, match="sync must be"):
        player.path_player(q, runs, sync="time")


def test_pixels_land_where_matplotlib_draws_the_data():
    q = surfaces.quadratic((1.0, 10.0))  # axes from -2 to 2 in both directions
    corners = np.array([[-2.0, -2.0], [2.0, 2.0], [0.0, 0.0]])
    p = player.path_player(q, {"corners": corners})
    width, height = map(float, re.search(r'viewBox="0 0 (\S+) (\S+)"', p.html).groups())
    x0, y0, w, h = map(float, re.search(r'<rect x="(\S+)" y="(\S+)" width="(\S+)" height="(\S+)"', p.html).groups())
    (ax, ay), (bx, by), (cx, cy) = data_of(p)["paths"][0]
    assert (ax, ay) == pytest.approx((x0, y0 + h), abs=0.11)  # lower left corner of the plot area
    assert (bx, by) == pytest.approx((x0 + w, y0), abs=0.11)  # upper right: SVG's y grows downwards
    assert (cx, cy) == pytest.approx((x0 + w / 2, y0 + h / 2), abs=0.11)
    assert 0 < x0 < width and 0 < y0 < height


def test_sweep_player_shows_one_run_per_frame():
    q = surfaces.quadratic((1.0, 10.0))
    with pytest.warns(gdlib.DivergenceWarning):
        runs = {f"lr = {lr}": gdlib.minimize(q, (-1.5, 1.5), gdlib.gd(lr), 400) for lr in (0.1, 0.25)}
    data = data_of(player.sweep_player(q, runs))
    assert data["frames"] == [[400, -1], [-1, len(data["paths"][1]) - 1]]
    # 0.9^400: a gap at rounding level is reported as a bound, never as digits that differ between machines
    assert data["captions"][0] == "lr = 0.1: f − f_min below 1e-12 after 400 steps"
    assert data["captions"][1] == "lr = 0.25: diverged"


def test_the_html_is_stable_and_shows_the_last_frame_without_javascript():
    q, runs = quadratic_runs()
    first, again = player.path_player(q, runs, alt="two paths"), player.path_player(q, runs, alt="two paths")
    assert first.html == again.html  # no random ids: notebooks re-run to the same output
    data = data_of(first)
    static = re.findall(r'<polyline[^>]*points="([^"]*)"', first.html)
    assert static[1] == " ".join(f"{x},{y}" for x, y in data["paths"][1])  # the whole path, before any script
    assert 'alt="two paths"' in first.html and first._repr_html_() == first.html
    assert "http" not in first.html.replace("http://www.w3.org", "")  # nothing fetched from the network


def sweep_runs():
    q = surfaces.quadratic((1.0, 10.0))
    with pytest.warns(gdlib.DivergenceWarning):
        runs = {f"lr = {lr}": gdlib.minimize(q, (-1.5, 1.5), gdlib.gd(lr), 50) for lr in (0.02, 0.1, 0.19, 0.25)}
    return q, runs


def test_a_sweep_opens_on_its_best_run_not_on_a_blow_up():
    q, runs = sweep_runs()
    p = player.sweep_player(q, runs)
    data = data_of(p)
    assert data["start"] == 1 and data["captions"][-1].endswith("diverged")  # lr = 0.1 ends lowest
    assert 'value="1"' in p.html and "lr = 0.1: f − f_min = " in p.html.split('class="gdlib-caption">')[1][:40]
    assert data_of(player.sweep_player(q, runs, start="lr = 0.02"))["start"] == 0
    assert data_of(player.sweep_player(q, runs, start=-1))["start"] == 3
    with pytest.raises(ValueError, match="start must be"):
        player.sweep_player(q, runs, start="lr = 0.3")
    with pytest.raises(ValueError, match="start must be"):
        player.sweep_player(q, runs, start=4)


def test_the_player_speaks_sensibly_and_keeps_picture_and_paths_in_one_box():
    q, runs = quadratic_runs()
    p = player.path_player(q, runs, alt="two paths")
    assert "aria-live" not in p.html.replace('role="status"', "")  # no announcement at every frame of Play
    assert 'role="status"' in p.html and 'aria-valuetext="step 60, frame' in p.html
    assert re.search(r'<button type="button" data-go="play">.*<span>Play</span></button>', p.html)
    img = re.search(r"<img [^>]*>", p.html).group(0)
    assert "padding:0" in img and 'width="480"' in img  # the theme's padding would shift the picture
    assert '<div class="gp-picture">\n<img' in p.html and "</svg>\n</div>" in p.html
    assert "min-width:44px;min-height:44px" in p.html  # touch screens


def test_the_picture_is_sharp_and_its_css_size_is_the_svg_coordinate_system():
    import base64
    import struct

    q, runs = quadratic_runs()
    p = player.path_player(q, runs)
    png = base64.b64decode(re.search(r'src="data:image/png;base64,([^"]+)"', p.html).group(1))
    pixels = struct.unpack(">II", png[16:24])
    width, height = map(float, re.search(r'viewBox="0 0 (\S+) (\S+)"', p.html).groups())
    assert pixels == (2 * width, 2 * height)  # retina: two pixels per CSS pixel


def test_each_marked_minimum_is_a_star_over_the_paths():
    q, runs = quadratic_runs()
    markup = player.path_player(q, runs).html
    stars = re.findall(r'<polygon points="([^"]*)"', markup)
    assert len(stars) == len(q.minima) == 1
    assert len(stars[0].split()) == 10  # five points, five notches
    assert markup.index("<polygon") > markup.rindex("<polyline")  # drawn after the paths, so on top


def test_only_the_lowest_minima_are_filled_stars():
    camel = surfaces.camel()  # one global minimum at the origin, two local ones
    runs = {"gd": gdlib.minimize(camel, (1.5, -1.0), gdlib.gd(0.05), 20)}
    stars = re.findall(r'<polygon points="[^"]*" fill="(#[0-9a-f]{3})"', player.path_player(camel, runs).html)
    assert sorted(stars) == ["#000", "#fff", "#fff"]
