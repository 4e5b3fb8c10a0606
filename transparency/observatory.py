"""The observatory: national indicators over the published months, as data for server-rendered SVG
charts (no JavaScript, no chart library to download) and the tables and CSV files under them."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.db.models import Max
from shapely.geometry import shape

from cases.models import ONLINE_CHANNELS, Channel
from entities.models import District

from .reading import latest_figures, published_months

MAP_WIDTH = 600
CLASSES = 5  # colour classes of the district map (quantiles)


def series(months: int = 12) -> dict[str, list[dict[str, Any]]]:
    """One row per published month, oldest first: channels, service level and satisfaction."""
    rows = list(reversed(published_months(months)))
    channels, sla, satisfaction = [], [], []
    for m in rows:
        n = m.national
        by_channel = {c["channel"]: c["cases"] for c in n["channels"]}
        channels.append({"month": m.key, **{code: by_channel.get(code, 0) for code in Channel.values},
                         "online": sum(by_channel.get(c, 0) for c in ONLINE_CHANNELS), "total": n["received"]})  # fmt: skip
        sla.append({"month": m.key, "closed": n["closed"], "closed_within_sla": n["closed_within_sla"], "within_sla_pct": n["within_sla_pct"]})
        satisfaction.append(
            {"month": m.key, "surveys": n["surveys"], "satisfied_pct": n["satisfied_pct"], "sdg_average_pct": n["sdg_average_pct"]}
        )
    return {"channels": channels, "sla": sla, "satisfaction": satisfaction}


def bars(rows: list[dict], value: str, height: int = 160, width: int = 600) -> list[dict[str, Any]]:
    """Vertical bar geometry for an SVG of `width` × `height` (values 0..max)."""
    top = max([r[value] or 0 for r in rows] + [1])
    step = width / max(len(rows), 1)
    out = []
    for i, r in enumerate(rows):
        h = round((r[value] or 0) / top * (height - 20), 1)
        out.append({"x": round(i * step + step * 0.15, 1), "w": round(step * 0.7, 1), "y": round(height - h, 1), "h": h,
                    "label": r["month"][2:], "value": r[value], "lx": round(i * step + step / 2, 1)})  # fmt: skip
    return out


def top_categories(limit: int = 10) -> tuple[str, list[dict[str, Any]]]:
    figures = latest_figures()
    rows = [r for r in figures.national["categories"] if r["received"]][:limit]
    top = max([r["received"] for r in rows] + [1])
    for i, r in enumerate(rows):
        r["y"] = i * 28
        r["w"] = round(r["received"] / top * 300, 1)
    return figures.key, rows


@lru_cache(maxsize=4)
def _district_paths(version: str) -> tuple[tuple[str, str, str], ...]:
    """(code, name, SVG path) per district, simplified and projected once per process and boundary version."""
    districts = list(District.objects.values_list("code", "name", "geometry", "min_lat", "max_lat", "min_lon", "max_lon"))
    if not districts:
        return ()
    min_lon, max_lon = min(d[5] for d in districts), max(d[6] for d in districts)
    min_lat, max_lat = min(d[3] for d in districts), max(d[4] for d in districts)
    k = MAP_WIDTH / (max_lon - min_lon)
    paths = []
    for code, name, geometry, *_ in districts:
        geom = shape(geometry).simplify(0.01, preserve_topology=True)
        polygons = getattr(geom, "geoms", [geom])
        parts = []
        for polygon in polygons:
            ring = polygon.exterior.coords
            parts.append("M" + "L".join(f"{(x - min_lon) * k:.1f},{(max_lat - y) * k:.1f}" for x, y in ring) + "Z")
        paths.append((code, name, "".join(parts)))
    return tuple(paths)


def map_height() -> int:
    agg = District.objects.aggregate(a=Max("max_lat"), b=Max("max_lon"))
    if agg["a"] is None:
        return 0
    from django.db.models import Min

    low = District.objects.aggregate(a=Min("min_lat"), b=Min("min_lon"))
    return round((agg["a"] - low["a"]) * MAP_WIDTH / (agg["b"] - low["b"]))


def district_map() -> tuple[str, list[dict[str, Any]], int]:
    """The latest month's cases per district, with a colour class (0 = none, 1..CLASSES by quantile)."""
    figures = latest_figures()
    counts = {r["code"]: r["received"] for r in figures.national["districts"]}
    version = str(District.objects.aggregate(v=Max("updated_at"))["v"]) + str(District.objects.count())
    values = sorted(v for v in counts.values() if v)
    cuts = [values[min(len(values) - 1, (len(values) * i) // CLASSES)] for i in range(1, CLASSES)] if values else []
    rows = []
    for code, name, path in _district_paths(version):
        n = counts.get(code, 0)
        klass = 0 if not n else 1 + sum(1 for c in cuts if n > c)
        rows.append({"code": code, "name": name, "path": path, "received": n, "klass": klass})
    return figures.key, rows, map_height()
