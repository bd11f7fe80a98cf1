r"""Grayscale templates for the low-rank image-like model of paper §4.2 (docs/theory.md §7),
offline.

- :func:`glyph_templates` (the default): characters of matplotlib's bundled DejaVu Sans font,
  rasterised geometrically (the glyph outline's polygons, even-odd rule, on a 4×4 supersampled grid
  averaged to :math:`h\times w`). No canvas and no download: the same font file gives the same
  numbers everywhere.
- :func:`idx_templates`: FashionMNIST or any MNIST-format IDX file the user has locally (raw or
  gzip): the class means of the first :math:`K` labels (with a labels file) or :math:`K` images by
  index, area-resized to :math:`h\times w`.

:func:`normalise` scales every template to unit mean-square pixel, :math:`\|T_k\|_F^2 = hw`, so that
the colour eigenvalue is :math:`\lambda_k = \sigma_c^2\|T_k\|_F^2 = \sigma_c^2 hw` for every class
(the analogue of the isotropic model's :math:`\|\mu_k\|^2 = d`).
"""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
from jaxtyping import Float

from memlab.theory.errors import InvalidInput

__all__ = [
    "DEFAULT_CHARACTERS",
    "glyph_templates",
    "read_idx",
    "idx_templates",
    "resize",
    "normalise",
]

DEFAULT_CHARACTERS = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
SUPERSAMPLE = 4
MARGIN = 1.15  # the glyph's longer side spans 1/MARGIN of the box

# IDX type codes (the third byte of the magic number) -> big-endian numpy dtype
_IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def glyph_templates(
    K: int, h: int = 15, w: int = 15, characters: str = DEFAULT_CHARACTERS
) -> Float[np.ndarray, "K h w"]:
    """The first ``K`` of ``characters`` as ink coverage in [0, 1] on an ``h`` × ``w`` grid."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.path import Path as Outline
    from matplotlib.textpath import TextPath

    if not 1 <= K <= len(characters):
        raise InvalidInput("K", K, f"an integer in [1, {len(characters)}] (one glyph per class)")
    for field, value in (("h", h), ("w", w)):
        if not isinstance(value, int) or value < 2:
            raise InvalidInput(field, value, "an integer >= 2")
    rows = (np.arange(h * SUPERSAMPLE) + 0.5) / (h * SUPERSAMPLE)
    columns = (np.arange(w * SUPERSAMPLE) + 0.5) / (w * SUPERSAMPLE)
    y, x = np.meshgrid(rows, columns, indexing="ij")
    font = FontProperties(family="DejaVu Sans")
    out = np.empty((K, h, w))
    for k, character in enumerate(characters[:K]):
        glyph = TextPath((0, 0), character, size=1, prop=font)
        low, high = glyph.vertices.min(0), glyph.vertices.max(0)
        span, centre = (high - low).max() * MARGIN, (low + high) / 2
        points = np.stack([centre[0] + (x - 0.5) * span, centre[1] + (0.5 - y) * span], -1)
        inside = np.zeros(points.shape[:2], bool)
        for polygon in glyph.to_polygons(closed_only=True):  # even-odd: holes cancel
            inside ^= Outline(polygon).contains_points(points.reshape(-1, 2)).reshape(inside.shape)
        out[k] = inside.reshape(h, SUPERSAMPLE, w, SUPERSAMPLE).mean((1, 3))
    return out


def read_idx(path: str | Path, field: str = "--templates") -> np.ndarray:
    """The array in an IDX file (MNIST format; gzip detected by its magic bytes). A missing,
    truncated or malformed file raises :class:`InvalidInput` naming ``field`` and the file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
        raise InvalidInput(field, str(path), f"a readable IDX file ({reason})") from None
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_TYPES or raw[3] < 1:
        raise InvalidInput(field, str(path), "an IDX file (magic 0x0000TTNN: type TT, NN dims)")
    dimensions = raw[3]
    header = 4 + 4 * dimensions
    if len(raw) < header:
        raise InvalidInput(field, str(path), f"an IDX file with {dimensions} dimension sizes")
    shape = tuple(int(s) for s in np.frombuffer(raw, ">u4", dimensions, 4))
    dtype = np.dtype(_IDX_TYPES[raw[2]])
    expected = header + int(np.prod(shape)) * dtype.itemsize
    if len(raw) != expected:
        raise InvalidInput(
            field,
            str(path),
            f"an IDX file of {expected} bytes for shape {shape} (it has {len(raw)}: truncated or "
            "padded)",
        )
    return np.frombuffer(raw, dtype, offset=header).reshape(shape).astype(np.float64)


def resize(images: Float[np.ndarray, "n H W"], h: int, w: int) -> Float[np.ndarray, "n h w"]:
    """Area-average resize: each output pixel is the mean of the input area it covers."""

    def averaging(size: int, target: int) -> np.ndarray:
        edges = np.linspace(0, size, target + 1)
        left, right = edges[:-1, None], edges[1:, None]
        pixels = np.arange(size)[None, :]
        overlap = np.clip(np.minimum(right, pixels + 1) - np.maximum(left, pixels), 0, None)
        return overlap / overlap.sum(1, keepdims=True)

    rows, columns = averaging(images.shape[1], h), averaging(images.shape[2], w)
    return np.einsum("ia,nab,jb->nij", rows, images, columns)


def idx_templates(
    images: str | Path,
    K: int,
    h: int = 15,
    w: int = 15,
    labels: str | Path | None = None,
    indices: list[int] | None = None,
) -> Float[np.ndarray, "K h w"]:
    """``K`` templates from an IDX images file: with ``labels``, the mean image of each of the
    first ``K`` distinct labels (ascending); otherwise the images at ``indices`` (default the first
    ``K``). Resized to ``h`` × ``w``."""
    pictures = read_idx(images, "--templates")
    if pictures.ndim != 3:
        raise InvalidInput("--templates", str(images), "an IDX file of images (3 dimensions)")
    if labels is not None:
        classes = read_idx(labels, "--template-labels")
        if classes.shape != pictures.shape[:1]:
            raise InvalidInput(
                "--template-labels",
                str(labels),
                f"one label per image ({pictures.shape[0]}), got shape {classes.shape}",
            )
        distinct = np.unique(classes)
        if distinct.size < K:
            raise InvalidInput("K", K, f"at most the {distinct.size} labels in {labels}")
        chosen = np.stack([pictures[classes == c].mean(0) for c in distinct[:K]])
    else:
        indices = list(range(K)) if indices is None else list(indices)
        if len(indices) != K or any(not 0 <= i < pictures.shape[0] for i in indices):
            raise InvalidInput(
                "--template-indices", indices, f"{K} indices in [0, {pictures.shape[0]})"
            )
        chosen = pictures[indices]
    return resize(chosen, h, w)


def normalise(templates: Float[np.ndarray, "K h w"]) -> Float[np.ndarray, "K h w"]:
    r"""Each template scaled to unit mean-square pixel (:math:`\|T_k\|_F^2 = hw`)."""
    templates = np.asarray(templates, np.float64)
    norms = np.sqrt((templates**2).sum((1, 2)))
    if np.any(norms == 0) or not np.all(np.isfinite(norms)):
        raise InvalidInput("templates", norms.tolist(), "templates with a finite, non-zero norm")
    return templates * (np.sqrt(templates.shape[1] * templates.shape[2]) / norms)[:, None, None]
