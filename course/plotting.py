"""Matplotlib that shows Chinese: pick an installed CJK font, or the one the package ships.

Nothing happens on import; call :func:`use_chinese_fonts` once before plotting (lesson setup cells
and every plotting function of the course do).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["PREFERRED_FONTS", "chinese_font", "figure_png", "new_figure", "use_chinese_fonts"]

#: CJK font families in order of preference (the first one installed wins).
PREFERRED_FONTS = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Microsoft YaHei",
    "PingFang SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Noto Sans SC",
    "SimHei",
    "Heiti SC",
)


def _bundled_font_file() -> Path | None:
    """The Noto Sans CJK SC file shipped by the ``mplfonts`` dependency, if present."""
    try:
        import mplfonts
    except ImportError:  # pragma: no cover - mplfonts is a declared dependency
        return None
    folder = Path(mplfonts.__file__).parent / "fonts"
    for name in ("NotoSansCJKsc-Regular.otf", "SimHei.ttf"):
        if (folder / name).is_file():
            return folder / name
    return None


@cache
def chinese_font() -> str:
    """Family name of the CJK font matplotlib will use (registering the bundled one if needed)."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in PREFERRED_FONTS:
        if name in installed:
            return name
    bundled = _bundled_font_file()
    if bundled is None:  # pragma: no cover - only without the mplfonts dependency
        raise RuntimeError("没有找到可以显示中文的字体：请安装 Noto Sans CJK SC（fonts-noto-cjk）。")
    font_manager.fontManager.addfont(str(bundled))
    return font_manager.FontProperties(fname=str(bundled)).get_name()


def use_chinese_fonts() -> str:
    """Make matplotlib render Chinese text; returns the chosen font family."""
    import matplotlib

    name = chinese_font()
    families = [name] + [f for f in matplotlib.rcParams["font.sans-serif"] if f != name]
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = families
    matplotlib.rcParams["axes.unicode_minus"] = False
    _register_ipython_display()
    return name


def _register_ipython_display() -> None:
    """Let a bare ``Figure`` (not attached to pyplot) display as PNG when it ends a cell."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with Jupyter
        return
    shell = get_ipython()
    if shell is None:
        return
    from matplotlib.figure import Figure

    shell.display_formatter.formatters["image/png"].for_type(Figure, figure_png)


def figure_png(fig: Figure, dpi: int = 100, **savefig: Any) -> bytes:
    """Render a figure to PNG bytes (for ipywidgets.Image, notebooks and HTML reports)."""
    from io import BytesIO

    buf = BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, **savefig)
    return buf.getvalue()


def new_figure(width: float = 7.0, height: float = 3.6):
    """A new (figure, axes) with Chinese fonts enabled, not attached to pyplot's global state."""
    from matplotlib.figure import Figure

    use_chinese_fonts()
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.add_subplot()
