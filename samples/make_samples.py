#!/usr/bin/env python3
"""Deterministic generator for the FilmSR sample clips (see samples/README.md).

Needs: Python 3, numpy, the ffmpeg/ffprobe command-line tools, and the Debian photo
packages lomiri-wallpapers-16.04 and mate-backgrounds (natural photographs, CC0/CC-BY/CC-BY-SA/GPL-2+).

    python3 samples/make_samples.py [--out DIR] [--seed N] [--install-photos]

Everything random is drawn from numpy PCG64 generators keyed by (seed, stream, index), and
all pixel arithmetic is element-wise (no BLAS reductions), so a given seed reproduces the raw
frames byte for byte; encoders run single-threaded with bitexact flags so the files repeat too.
"""

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import wave

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
BG = "/usr/share/backgrounds"
PHOTO_PACKAGES = ["lomiri-wallpapers-16.04", "mate-backgrounds"]

# --------------------------------------------------------------------------------------------
# Source photographs. Every photo used is listed with its licence as given in
# /usr/share/doc/<package>/copyright. One licence family per output file (CC0/CC-BY for the
# reel and the DVD clip, CC-BY-SA for the tape pair, GPL-2+ for the flicker clip and the
# stills), so that no output mixes share-alike/copyleft terms.
# --------------------------------------------------------------------------------------------
PHOTOS = {
    "aitzgorri": dict(path=f"{BG}/aitzgorri_by_Aitzol_Berasategi.jpg", package="lomiri-wallpapers-16.04",
                      author="Aitzol Berasategi", year=2018, licence="CC-BY-4.0"),
    "life": dict(path=f"{BG}/life_by_Aitzol_Berasategi.jpg", package="lomiri-wallpapers-16.04",
                 author="Aitzol Berasategi", year=2018, licence="CC-BY-4.0"),
    "picture_0b": dict(path=f"{BG}/Picture_0B_by_freespace.jpg", package="lomiri-wallpapers-16.04",
                       author='Trevor "Freespace"', year=2018, licence="CC-BY-4.0"),
    "picosdeeuropa": dict(path=f"{BG}/picosdeeuropa_by_Aitzol_Berasategi.jpg", package="lomiri-wallpapers-16.04",
                          author="Aitzol Berasategi", year=2018, licence="CC-BY-4.0"),
    "seeding": dict(path=f"{BG}/seeding_by_Clements_Engelhardt.jpg", package="lomiri-wallpapers-16.04",
                    author="Clemens Engelhardt", year=2018, licence="CC0-1.0"),
    "sunset": dict(path=f"{BG}/sunset_by_Aitzol_Berasategi.jpg", package="lomiri-wallpapers-16.04",
                   author="Aitzol Berasategi", year=2018, licence="CC-BY-4.0"),
    "friends": dict(path=f"{BG}/friends_by_Aitzol_Berasategi.jpg", package="lomiri-wallpapers-16.04",
                    author="Aitzol Berasategi", year=2018, licence="CC-BY-4.0"),
    "wine": dict(path=f"{BG}/Wine_by_Jakkub_Mede.jpg", package="lomiri-wallpapers-16.04",
                 author="Jakub Mede", year=2018, licence="CC-BY-4.0"),
    "dune": dict(path=f"{BG}/mate/nature/Dune.jpg", package="mate-backgrounds",
                 author="Marco Cogoni (2007), Hylke Bons (2008)", year=2008, licence="GPL-2+"),
    "greenmeadow": dict(path=f"{BG}/mate/nature/GreenMeadow.jpg", package="mate-backgrounds",
                        author="Timothy Schellhase (2005), Lapo Calamandrei (2008)", year=2008, licence="GPL-2+"),
    "raindrops": dict(path=f"{BG}/mate/nature/RainDrops.jpg", package="mate-backgrounds",
                      author='"blackcombwhistler07"', year=2008, licence="GPL-2+"),
    # tape_clean/tape_old: four photos the reel does not use, all CC-BY-SA-4.0.
    "dragonfly": dict(path=f"{BG}/Dragonfly_by_Bolly.jpg", package="lomiri-wallpapers-16.04",
                      author='"Bolly"', year=2018, licence="CC-BY-SA-4.0"),
    "greentock": dict(path=f"{BG}/greentock_by_Peter_Nerlich.jpg", package="lomiri-wallpapers-16.04",
                      author="Peter Nerlich", year=2018, licence="CC-BY-SA-4.0"),
    "bridge": dict(path=f"{BG}/Bridge_by_Sander_Klootwijk.jpg", package="lomiri-wallpapers-16.04",
                   author="Sander Klootwijk", year=2018, licence="CC-BY-SA-4.0"),
    "free": dict(path=f"{BG}/free_by_Peter_Nerlich.jpg", package="lomiri-wallpapers-16.04",
                 author="Peter Nerlich", year=2018, licence="CC-BY-SA-4.0"),
}

# --------------------------------------------------------------------------------------------
# Clip layouts. Camera rectangles are in pixels of the photo AFTER its 2x box downscale:
# (centre x, centre y, width); the height follows from the display aspect (4:3 everywhere).
# A rectangle is never narrower than the output width, so rendering only ever downsamples.
# --------------------------------------------------------------------------------------------
REEL = dict(
    width=768, height=576, fps=(24, 1), scale=4,
    scenes=[  # different lengths on purpose, none shorter than 16 frames
        dict(photo="aitzgorri", frames=20, move="pan-right", start=(600, 560, 1000), end=(780, 560, 1000)),
        dict(photo="life", frames=28, move="zoom-in", start=(772, 514, 1300), end=(800, 540, 900)),
        dict(photo="picture_0b", frames=24, move="diagonal-pan", start=(500, 380, 900), end=(780, 500, 900)),
        dict(photo="picosdeeuropa", frames=30, move="zoom-out", start=(820, 640, 850), end=(816, 612, 1450)),
        dict(photo="seeding", frames=18, move="pan-left-tilt-up", start=(1350, 780, 1400), end=(1150, 740, 1400)),
    ],
)

# A second ground-truth pair with another look: film seen through an analogue video transfer.
TAPE = dict(
    width=768, height=576, fps=(24, 1), scale=4,
    scenes=[  # 86 frames = 3.583 s; moves unlike the reel's
        dict(photo="dragonfly", frames=22, move="zoom-in-tilt-up", start=(1100, 760, 1500), end=(1150, 680, 1000)),
        dict(photo="greentock", frames=18, move="pan-right", start=(700, 560, 900), end=(900, 520, 900)),
        dict(photo="bridge", frames=26, move="tilt-down-zoom-out", start=(1300, 520, 850), end=(1200, 820, 1000)),
        dict(photo="free", frames=20, move="zoom-out-tilt-up", start=(660, 700, 800), end=(700, 600, 1200)),
    ],
)

DVD = dict(
    width=720, height=480, fps=(30000, 1001), sar=(8, 9), dar=(4, 3),
    scenes=[
        dict(photo="sunset", frames=30, move="pan-left", start=(1200, 700, 1300), end=(1000, 700, 1300)),
        dict(photo="friends", frames=34, move="tilt-down", start=(514, 500, 960), end=(514, 800, 960)),
        dict(photo="wine", frames=26, move="zoom-in", start=(640, 1300, 1200), end=(660, 1250, 800)),
    ],
)

FLICKER = dict(width=192, height=144, fps=(24, 1),
               scene=dict(photo="dune", frames=48, move="pan-right-slow-zoom-in",
                          start=(380, 262, 600), end=(460, 270, 560)))

STILLS = [  # name, photo, crop x, crop y, width, height (in 2x-downscaled photo pixels)
    ("still.png", "greenmeadow", 250, 190, 128, 128),
    ("still_odd.png", "raindrops", 405, 365, 97, 61),
]

# Film degradation of reel_old.mp4 (all in the 192x144 LR domain, [0,1] RGB).
DEGRADE = dict(
    downscale="antialiased bicubic (Catmull-Rom, a=-0.5), 4x, on the uint8 clean frames",
    fade=dict(saturation=0.85, tint_rgb=[1.02, 1.0, 0.95], black_lift=0.03, white_level=0.97),
    flicker=dict(smooth_amplitude=0.025, smooth_period_frames=13.7, random_sigma=0.015, max_abs=0.06),
    grain=dict(sigma_mid=0.075, sigma_floor_fraction=0.35, correlation_sigma_px=0.5, chroma_mix=0.35,
               model="sigma(L) = sigma_mid * (f + (1-f) * 4 L (1-L)), fresh every frame"),
    dust=dict(mean_per_frame=3.0, radius_px=[0.5, 2.2], dark_probability=0.7, lifetime_frames=1),
    scratches=dict(per_scene=[1, 2], width_sigma_px=[0.35, 0.6], strength=[0.25, 0.45],
                   drift_px_per_frame=[-0.15, 0.15], bright_probability=0.65, persists="within a scene"),
    telecine_blur_sigma_px=0.55,
    codec_chain=["mpeg2video 600 kbit/s GOP 12 (2 B-frames) yuv420p", "libx264 crf 23 preset medium yuv420p"],
    geometric_jitter=False,
)

FLICKER_DEGRADE = dict(
    flicker=dict(model="gain = 1 + s * U(0.15, 0.25), sign alternates with p=0.75", range=[0.15, 0.25]),
    grain=dict(sigma_mid=0.075), dust=dict(mean_per_frame=3.0), telecine_blur_sigma_px=0.55,
    scratches=None,
)

# Analogue-video-transfer degradation of tape_old.mp4 (192x144 LR domain, [0,1] RGB). No grain,
# dust, scratches, flicker or fading: softness, a sharpening halo, chroma bleed, noise, one codec.
TAPE_DEGRADE = dict(
    downscale="antialiased bicubic (Catmull-Rom, a=-0.5), 4x, on the uint8 clean frames",
    optical_blur_sigma_px=1.1,
    sharpening=dict(kind="unsharp mask on luma Y (BT.601), Y + amount * (Y - gaussian(Y, sigma))",
                    sigma_px=1.5, amount=1.0),
    chroma_bleed=dict(kind="Cb and Cr (BT.601) blurred horizontally with a Gaussian", sigma_px=2.5),
    noise=dict(kind="Gaussian, independent per RGB channel and pixel, fresh every frame", sigma=2.5 / 255),
    codec_chain=["libx264 crf 28 preset medium yuv420p"],
    film_grain=False, dust=False, scratches=False, flicker=False, fading=False, geometric_jitter=False,
)

COLOUR_TAGS = ["-colorspace", "smpte170m", "-color_primaries", "smpte170m",
               "-color_trc", "smpte170m", "-color_range", "tv"]
BITEXACT = ["-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact"]
SWS = "accurate_rnd+full_chroma_int+bitexact"
AUDIO_RATE = 48000

# Distinct random streams: rng(seed, STREAM, index) never collides between concerns.
S_REEL_FLICKER, S_REEL_FRAME, S_REEL_SCRATCH, S_AUDIO, S_DVD_GRAIN, S_FLK_FLICKER, S_FLK_FRAME = range(1, 8)
S_TAPE_FRAME, S_TAPE_AUDIO = 8, 9


def rng_for(seed, stream, index=0):
    return np.random.default_rng([seed, stream, index])


# ============================================================================================
# Environment checks
# ============================================================================================
def check_environment(install):
    for tool in ("ffmpeg", "ffprobe"):
        if shutil.which(tool) is None:
            sys.exit(f"error: {tool} not found on PATH (Debian: apt-get install ffmpeg)")
    encoders = run_text(["ffmpeg", "-hide_banner", "-encoders"])
    for enc in ("libx264", "mpeg2video", "aac", "ac3", "png"):
        if f" {enc} " not in encoders:
            sys.exit(f"error: this ffmpeg lacks the {enc} encoder")
    missing = [p["path"] for p in PHOTOS.values() if not os.path.exists(p["path"])]
    if missing and install and os.geteuid() == 0:
        cmd = ["apt-get", "install", "-y", "--no-install-recommends"] + PHOTO_PACKAGES
        print("installing photo packages:", " ".join(cmd))
        if subprocess.run(cmd).returncode != 0:
            subprocess.run(["apt-get", "update"], check=True)
            subprocess.run(cmd, check=True)
        missing = [p["path"] for p in PHOTOS.values() if not os.path.exists(p["path"])]
    if missing:
        sys.exit("error: source photographs missing:\n  " + "\n  ".join(missing) +
                 "\ninstall them with: apt-get install -y --no-install-recommends " + " ".join(PHOTO_PACKAGES) +
                 "\n(or rerun this script as root with --install-photos)")


def run_text(cmd):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE).stdout.decode()


# ============================================================================================
# Photographs
# ============================================================================================
_photo_cache = {}


def load_photo(name, path=None, box=2):
    """Decode the JPEG to rgb24 with ffmpeg, then box-average it box x box in numpy (2x2).

    The packaged photos are JPEG q75-90; halving them averages away most block/ringing
    artefacts so that the rendered frames are clean ground truth. `path` (default: the PHOTOS
    entry of `name`) and `box` (1: full resolution, for photos too small to halve) serve
    samples/make_devset.py."""
    path = PHOTOS[name]["path"] if path is None else path
    key = (path, box)
    if key in _photo_cache:
        return _photo_cache[key]
    w, h = map(int, run_text(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                              "stream=width,height", "-of", "csv=p=0", path]).strip().split(","))
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-frames:v", "1", "-sws_flags", SWS,
                          "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         check=True, stdout=subprocess.PIPE).stdout
    img = np.frombuffer(raw, np.uint8).reshape(h, w, 3)
    h2, w2 = h // box, w // box
    img = img[:box * h2, :box * w2].astype(np.float32).reshape(h2, box, w2, box, 3).mean(axis=(1, 3)) / 255.0
    _photo_cache[key] = img
    return img


# ============================================================================================
# Resampling (separable, area-correct: the kernel is stretched by the downscale factor)
# ============================================================================================
def lanczos3(x):
    return np.where(np.abs(x) < 3.0, np.sinc(x) * np.sinc(x / 3.0), 0.0)


def catmull_rom(x):
    a, x = -0.5, np.abs(x)
    return np.where(x < 1, (a + 2) * x ** 3 - (a + 3) * x ** 2 + 1,
                    np.where(x < 2, a * x ** 3 - 5 * a * x ** 2 + 8 * a * x - 4 * a, 0.0))


def gaussian(sigma):
    return lambda x: np.exp(-0.5 * (x / sigma) ** 2)


def make_taps(centers, scale, kernel, support, n_in):
    """Source indices and normalised weights for output samples centred at `centers`
    (source index coordinates, sub-pixel). `scale` = source pixels per output pixel."""
    fs = max(scale, 1.0)
    radius = support * fs
    first = np.floor(centers - radius).astype(np.int64) + 1
    ntaps = int(np.ceil(2 * radius)) + 1
    idx = first[:, None] + np.arange(ntaps)[None, :]
    w = kernel((idx - centers[:, None]) / fs)
    w = w / w.sum(axis=1, keepdims=True)
    return np.clip(idx, 0, n_in - 1), w.astype(np.float32)


def apply_taps(img, axis, idx, w):
    """Weighted sum of gathered rows/columns; element-wise only, hence bit-reproducible."""
    shape = [1] * img.ndim
    shape[axis] = idx.shape[0]
    out = None
    for k in range(idx.shape[1]):
        term = np.take(img, idx[:, k], axis=axis) * w[:, k].reshape(shape)
        out = term if out is None else out + term
    return out


def render_rect(photo, rect, out_w, out_h, rows=None, kernel=lanczos3, support=3.0):
    """Render the photo region rect = (x0, y0, width, height) (continuous pixel coordinates)
    into an out_w x out_h image. `rows` optionally selects output lines (used for fields)."""
    x0, y0, rw, rh = rect
    sx, sy = rw / out_w, rh / out_h
    rows = np.arange(out_h) if rows is None else np.asarray(rows)
    cy = y0 + (rows + 0.5) * sy - 0.5
    cx = x0 + (np.arange(out_w) + 0.5) * sx - 0.5
    iy, wy = make_taps(cy, sy, kernel, support, photo.shape[0])
    ix, wx = make_taps(cx, sx, kernel, support, photo.shape[1])
    # Crop to the bounding box first so that each pass only touches what it needs.
    ylo, yhi, xlo, xhi = iy.min(), iy.max() + 1, ix.min(), ix.max() + 1
    sub = photo[ylo:yhi, xlo:xhi]
    out = apply_taps(sub, 0, iy - ylo, wy)
    return apply_taps(out, 1, ix - xlo, wx)


def resize(img, out_w, out_h, kernel=catmull_rom, support=2.0):
    h, w = img.shape[:2]
    return render_rect(img, (0.0, 0.0, float(w), float(h)), out_w, out_h, kernel=kernel, support=support)


def gaussian_blur(img, sigma):
    """Separable Gaussian blur with edge replication (telecine softness, grain correlation)."""
    if sigma <= 0:
        return img
    r = int(np.ceil(3 * sigma))
    out = img
    for axis in (0, 1):
        n = img.shape[axis]
        idx, w = make_taps(np.arange(n, dtype=np.float64), 1.0, gaussian(sigma), r + 0.5, n)
        out = apply_taps(out, axis, idx, w)
    return out


def blur_along(img, sigma, axis):
    """Gaussian blur along one axis only (edge replication), as gaussian_blur does per axis."""
    n = img.shape[axis]
    idx, w = make_taps(np.arange(n, dtype=np.float64), 1.0, gaussian(sigma), int(np.ceil(3 * sigma)) + 0.5, n)
    return apply_taps(img, axis, idx, w)


def to_uint8(img):
    return np.rint(np.clip(img, 0.0, 1.0) * 255.0).astype(np.uint8)


# ============================================================================================
# Camera paths
# ============================================================================================
def ease(t):
    """Half linear, half smoothstep: smooth acceleration, but the camera never stops."""
    return 0.5 * t + 0.5 * t * t * (3.0 - 2.0 * t)


def camera_rect(scene, t, aspect):
    """Crop rectangle (x0, y0, w, h) at scene progress t in [0, 1]. Position interpolates
    linearly, width geometrically (constant perceived zoom speed)."""
    (cx0, cy0, w0), (cx1, cy1, w1) = scene["start"], scene["end"]
    e = ease(t)
    cx, cy = cx0 + (cx1 - cx0) * e, cy0 + (cy1 - cy0) * e
    w = w0 * (w1 / w0) ** e
    h = w / aspect
    return (cx - w / 2, cy - h / 2, w, h)


def check_rect_inside(scene, photo, out_w, aspect):
    for t in (0.0, 1.0):
        x0, y0, w, h = camera_rect(scene, t, aspect)
        margin = 3.0 * max(w / out_w, 1.0)
        ph, pw = photo.shape[:2]
        assert w >= out_w, f"{scene['photo']}: camera rect narrower than output (would upscale)"
        assert x0 >= margin and y0 >= margin and x0 + w <= pw - margin and y0 + h <= ph - margin, \
            f"{scene['photo']}: camera rect {x0, y0, w, h} leaves photo {pw}x{ph}"


def scene_starts(scenes):
    return [int(s) for s in np.cumsum([0] + [s["frames"] for s in scenes])[:-1]]


# ============================================================================================
# Film degradations (all operate on float32 RGB in [0, 1])
# ============================================================================================
def luma(img):
    return 0.299 * img[..., 0] + 0.587 * img[..., 1] + 0.114 * img[..., 2]


def rgb_to_ycbcr(img):
    """BT.601, full range, unscaled: Y in [0,1], Cb and Cr in about [-0.5, 0.5]."""
    y = luma(img)
    return y, np.float32(0.564) * (img[..., 2] - y), np.float32(0.713) * (img[..., 0] - y)


def ycbcr_to_rgb(y, cb, cr):
    r = y + np.float32(1.402) * cr
    b = y + np.float32(1.772) * cb
    g = (y - np.float32(0.299) * r - np.float32(0.114) * b) / np.float32(0.587)
    return np.stack([r, g, b], axis=-1)


def tape_transfer(img, rng, p):
    """Film through an analogue video chain: optical softness, the video processor's luma
    sharpening (overshoot halos), chroma bandwidth loss (horizontal bleed), then noise."""
    img = gaussian_blur(img, p["optical_blur_sigma_px"])
    y, cb, cr = rgb_to_ycbcr(img)
    s = p["sharpening"]
    y = y + np.float32(s["amount"]) * (y - gaussian_blur(y, s["sigma_px"]))
    cb = blur_along(cb, p["chroma_bleed"]["sigma_px"], 1)
    cr = blur_along(cr, p["chroma_bleed"]["sigma_px"], 1)
    img = ycbcr_to_rgb(y, cb, cr)
    return img + np.float32(p["noise"]["sigma"]) * rng.standard_normal(img.shape, dtype=np.float32)


def fade_colours(img, p):
    """Mild dye fading: desaturate, warm tint, lifted blacks and dimmed whites."""
    y = luma(img)[..., None]
    img = y + p["saturation"] * (img - y)
    img = img * np.asarray(p["tint_rgb"], np.float32)
    return p["black_lift"] + (p["white_level"] - p["black_lift"]) * img


def reel_flicker_gains(n, seed, p, stream=S_REEL_FLICKER):
    """Global brightness gain per frame: a slow wobble plus per-frame randomness."""
    rng = rng_for(seed, stream)
    phase = rng.uniform(0, 2 * np.pi)
    f = np.arange(n)
    g = p["smooth_amplitude"] * np.sin(2 * np.pi * f / p["smooth_period_frames"] + phase)
    g = g + p["random_sigma"] * rng.standard_normal(n)
    return 1.0 + np.clip(g, -p["max_abs"], p["max_abs"])


def strong_flicker_gains(n, seed, lo=0.15, hi=0.25, stream=S_FLK_FLICKER):
    """Violent flicker for flicker_nocut.mp4: +-15..25 %, mostly alternating sign, so that
    consecutive frames differ in brightness by up to ~50 %."""
    rng = rng_for(seed, stream)
    sign, gains = 1.0, []
    for _ in range(n):
        sign = -sign if rng.random() < 0.75 else sign
        gains.append(1.0 + sign * rng.uniform(lo, hi))
    return np.asarray(gains)


def add_grain(img, rng, sigma_mid, floor=0.35, corr=0.5, chroma=0.35):
    """Luminance-dependent film grain: strongest in the mid-tones, weaker in deep shadows
    and highlights; mostly monochrome with some per-dye-layer colour; slightly correlated."""
    h, w = img.shape[:2]
    mono = rng.standard_normal((h, w, 1), dtype=np.float32)
    col = rng.standard_normal((h, w, 3), dtype=np.float32)
    n = (1.0 - chroma) * mono + chroma * col
    n = gaussian_blur(n, corr)
    n = n / np.float32(n.std() + 1e-6)
    y = np.clip(luma(img), 0, 1)[..., None]
    sigma = sigma_mid * (floor + (1 - floor) * 4.0 * y * (1.0 - y))
    return img + sigma * n


def dust_specks(rng, w, h, mean_count, rmin=0.5, rmax=2.0, dark_p=0.7):
    specks = []
    for _ in range(rng.poisson(mean_count)):
        specks.append(dict(x=float(rng.uniform(0, w)), y=float(rng.uniform(0, h)),
                           rx=float(rng.uniform(rmin, rmax)), ry=float(rng.uniform(rmin, rmax)),
                           angle=float(rng.uniform(0, np.pi)), opacity=float(rng.uniform(0.7, 1.0)),
                           dark=bool(rng.random() < dark_p), level=float(rng.uniform(0.0, 0.15))))
    return specks


def add_dust(img, specks):
    """Dust/dirt on the print: small irregular blobs, dark (dirt) or bright (negative dirt)."""
    h, w = img.shape[:2]
    for s in specks:
        r = int(np.ceil(max(s["rx"], s["ry"]))) + 2
        xa, xb = max(int(s["x"]) - r, 0), min(int(s["x"]) + r + 1, w)
        ya, yb = max(int(s["y"]) - r, 0), min(int(s["y"]) + r + 1, h)
        if xa >= xb or ya >= yb:
            continue
        yy, xx = np.mgrid[ya:yb, xa:xb].astype(np.float32) + 0.5
        dx, dy = xx - s["x"], yy - s["y"]
        ca, sa = np.cos(s["angle"]), np.sin(s["angle"])
        u, v = (ca * dx + sa * dy) / s["rx"], (-sa * dx + ca * dy) / s["ry"]
        d = np.sqrt(u * u + v * v)
        alpha = (s["opacity"] * np.clip((1.0 - d) * 2.5 + 0.5, 0.0, 1.0))[..., None]
        target = s["level"] if s["dark"] else 1.0 - s["level"]
        img[ya:yb, xa:xb] = img[ya:yb, xa:xb] * (1 - alpha) + target * alpha
    return img


def scene_scratches(rng, w, frames, p):
    """1-2 vertical scratches per scene; each drifts slowly (constant drift + random walk)."""
    out = []
    for _ in range(int(rng.integers(p["per_scene"][0], p["per_scene"][1] + 1))):
        x0 = rng.uniform(0.1 * w, 0.9 * w)
        drift = rng.uniform(*p["drift_px_per_frame"])
        walk = np.cumsum(rng.normal(0, 0.06, frames))
        xs = x0 + drift * np.arange(frames) + walk
        out.append(dict(x=[float(v) for v in xs], width=float(rng.uniform(*p["width_sigma_px"])),
                        strength=float(rng.uniform(*p["strength"])), bright=bool(rng.random() < p["bright_probability"]),
                        visibility=[float(v) for v in rng.uniform(0.75, 1.0, frames)],
                        wobble_freq=float(rng.uniform(0.02, 0.08)), wobble_phase=float(rng.uniform(0, 2 * np.pi))))
    return out


def add_scratch(img, sc, local_frame):
    h, w = img.shape[:2]
    x = sc["x"][local_frame]
    cols = np.arange(w, dtype=np.float32) + 0.5
    prof = np.exp(-0.5 * ((cols - x) / sc["width"]) ** 2)[None, :]
    rows = np.arange(h, dtype=np.float32)
    along = 0.7 + 0.3 * np.sin(rows * sc["wobble_freq"] * 2 * np.pi + sc["wobble_phase"])[:, None]
    alpha = (sc["strength"] * sc["visibility"][local_frame] * prof * along)[..., None]
    target = 0.97 if sc["bright"] else 0.05
    return img * (1 - alpha) + target * alpha


# ============================================================================================
# Soundtrack
# ============================================================================================
def synth_soundtrack(n_samples, scene_start_s, mains_hz, shutter_hz, seed, stream=S_AUDIO):
    """Quiet mains hum + projector shutter clatter + a sine melody that changes per scene
    (new key and pan at every cut) + a little hiss. Returns int16 (n, 2)."""
    rng = rng_for(seed, stream, mains_hz)
    sr = AUDIO_RATE
    t = np.arange(n_samples) / sr
    hum = (0.020 * np.sin(2 * np.pi * mains_hz * t) + 0.012 * np.sin(2 * np.pi * 2 * mains_hz * t + 0.3)
           + 0.006 * np.sin(2 * np.pi * 3 * mains_hz * t + 1.1))
    clatter = np.zeros(n_samples)
    burst = rng.standard_normal(int(0.004 * sr)) * np.exp(-np.arange(int(0.004 * sr)) / (0.001 * sr)) * 0.015
    for k in range(int(n_samples / sr * shutter_hz) + 1):
        i = int(round(k * sr / shutter_hz))
        seg = clatter[i:i + burst.size]
        seg += burst[:seg.size]
    left, right = hum + clatter, hum + clatter
    pentatonic = [0, 2, 4, 7, 9, 12, 14]
    roots = [57, 62, 60, 65, 55, 64]  # MIDI note per scene
    bounds = [int(round(s * sr)) for s in scene_start_s] + [n_samples]
    for si in range(len(scene_start_s)):
        a, b = bounds[si], bounds[si + 1]
        pan = 0.25 * np.pi + (0.18 * np.pi if si % 2 else -0.18 * np.pi)
        voice = np.zeros(b - a)
        step = int(0.25 * sr)
        for k, i in enumerate(range(0, b - a, step)):
            midi = roots[si % len(roots)] + pentatonic[int(rng.integers(len(pentatonic)))]
            f = 440.0 * 2 ** ((midi - 69) / 12)
            n = min(int(0.5 * sr), b - a - i)
            tt = np.arange(n) / sr
            env = np.minimum(tt / 0.008, 1.0) * np.exp(-tt / 0.18)
            voice[i:i + n] += 0.12 * env * (np.sin(2 * np.pi * f * tt) + 0.3 * np.sin(4 * np.pi * f * tt))
        fade = min(int(0.005 * sr), b - a)  # hard audio cut at the picture cut, de-clicked
        voice[-fade:] *= np.linspace(1, 0, fade)
        left[a:b] += np.cos(pan) * voice * np.sqrt(2)
        right[a:b] += np.sin(pan) * voice * np.sqrt(2)
    box = np.ones(6) / 6  # gentle low-pass for the hiss
    left += np.convolve(rng.standard_normal(n_samples), box, "same") * 0.006
    right += np.convolve(rng.standard_normal(n_samples), box, "same") * 0.006
    return np.rint(np.clip(np.stack([left, right], 1), -1, 1) * 32767).astype(np.int16)


def write_wav(path, pcm):
    with wave.open(path, "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(AUDIO_RATE)
        w.writeframes(pcm.tobytes())


# ============================================================================================
# Encoding
# ============================================================================================
def ffmpeg_pipe(args, frames):
    """Run ffmpeg with raw frames on stdin (an iterable of uint8 arrays)."""
    cmd = ["ffmpeg", "-v", "error", "-y"] + args
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE)
    for fr in frames:
        proc.stdin.write(np.ascontiguousarray(fr).tobytes())
    proc.stdin.close()
    if proc.wait() != 0:
        sys.exit("error: ffmpeg failed: " + " ".join(cmd))


def ffmpeg(args):
    cmd = ["ffmpeg", "-v", "error", "-nostdin", "-y"] + args
    if subprocess.run(cmd).returncode != 0:
        sys.exit("error: ffmpeg failed: " + " ".join(cmd))


def raw_input_args(w, h, fps):
    return ["-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}", "-r", f"{fps[0]}/{fps[1]}", "-i", "-"]


def yuv_filter(pix_fmt, interlaced=False, sar="1"):
    # BT.601 limited range, matching the smpte170m tags written into the streams; the SAR is
    # written explicitly so that players and the tests need not guess it.
    return (f"scale=out_color_matrix=bt601:out_range=tv:interl={1 if interlaced else 0}:flags={SWS},"
            f"format={pix_fmt},setsar={sar}")


def encode_reel_clean(path, frames, fps, wav):
    ffmpeg_pipe(raw_input_args(REEL["width"], REEL["height"], fps) +
                ["-i", wav, "-map", "0:v", "-map", "1:a", "-vf", yuv_filter("yuv444p"),
                 "-c:v", "libx264", "-preset", "slow", "-crf", str(CLEAN_CRF), "-g", "48", "-threads", "1"]
                + COLOUR_TAGS + ["-c:a", "aac", "-b:a", "128k", "-threads", "1"] + BITEXACT
                + ["-movflags", "+faststart", path], frames)


def encode_reel_old(path, frames, fps, wav, tmp):
    """Codec generations: an MPEG-2 generation (as from an old broadcast/DVD master) decoded
    and re-encoded to H.264, the form such films are distributed in today."""
    gen1 = os.path.join(tmp, "reel_old_gen1_mpeg2.nut")
    w, h = REEL["width"] // REEL["scale"], REEL["height"] // REEL["scale"]
    ffmpeg_pipe(raw_input_args(w, h, fps) +
                ["-vf", yuv_filter("yuv420p"), "-c:v", "mpeg2video", "-b:v", "600k", "-maxrate", "900k",
                 "-bufsize", "1000k", "-g", "12", "-bf", "2", "-threads", "1"] + COLOUR_TAGS + BITEXACT
                + ["-f", "nut", gen1], frames)
    # setpts: the MPEG-2 generation's B-frame reordering delays the first pts by a frame;
    # renumber so that frame i of reel_old has exactly the pts of frame i of reel_clean.
    ffmpeg(["-threads", "1", "-i", gen1, "-i", wav, "-map", "0:v", "-map", "1:a",
            "-vf", "setpts=N/(%d/%d*TB)" % fps, "-c:v", "libx264", "-preset", "medium", "-crf", "23", "-pix_fmt", "yuv420p", "-g", "48",
            "-threads", "1"] + COLOUR_TAGS + ["-c:a", "aac", "-b:a", "96k"] + BITEXACT
           + ["-movflags", "+faststart", path])


def encode_flicker(path, frames, fps):
    ffmpeg_pipe(raw_input_args(FLICKER["width"], FLICKER["height"], fps) +
                ["-vf", yuv_filter("yuv420p"), "-c:v", "libx264", "-preset", "medium", "-crf", "23",
                 "-g", "48", "-threads", "1"] + COLOUR_TAGS + BITEXACT + ["-movflags", "+faststart", path], frames)


def encode_tape_clean(path, frames, fps, wav):
    ffmpeg_pipe(raw_input_args(TAPE["width"], TAPE["height"], fps) +
                ["-i", wav, "-map", "0:v", "-map", "1:a", "-vf", yuv_filter("yuv444p"),
                 "-c:v", "libx264", "-preset", "slow", "-crf", str(TAPE_CLEAN_CRF), "-g", "48", "-threads", "1"]
                + COLOUR_TAGS + ["-c:a", "aac", "-b:a", "128k", "-threads", "1"] + BITEXACT
                + ["-movflags", "+faststart", path], frames)


def encode_tape_old(path, frames, fps, wav):
    """One lossy generation: the tape capture straight to H.264 at a low quality."""
    w, h = TAPE["width"] // TAPE["scale"], TAPE["height"] // TAPE["scale"]
    ffmpeg_pipe(raw_input_args(w, h, fps) +
                ["-i", wav, "-map", "0:v", "-map", "1:a", "-vf", yuv_filter("yuv420p"),
                 "-c:v", "libx264", "-preset", "medium", "-crf", str(TAPE_OLD_CRF), "-g", "48", "-threads", "1"]
                + COLOUR_TAGS + ["-c:a", "aac", "-b:a", "96k", "-threads", "1"] + BITEXACT
                + ["-movflags", "+faststart", path], frames)


def encode_dvd(path, frames, wav):
    """DVD-Video-like MPEG-2 program stream: interlaced (field pictures coded with
    interlaced motion estimation/DCT), top field first, 4:3 display with 8:9 pixels, AC-3."""
    ffmpeg_pipe(raw_input_args(DVD["width"], DVD["height"], DVD["fps"]) +
                ["-i", wav, "-map", "0:v", "-map", "1:a",
                 "-vf", "setfield=tff," + yuv_filter("yuv420p", interlaced=True, sar="8/9"),
                 "-c:v", "mpeg2video", "-b:v", "4000k", "-maxrate", "8000k", "-bufsize", "1835k",
                 "-g", "15", "-bf", "2", "-flags", "+ilme+ildct", "-top", "1", "-alternate_scan", "1",
                 "-aspect", "4:3", "-threads", "1"] + COLOUR_TAGS +
                ["-c:a", "ac3", "-b:a", "192k", "-ar", str(AUDIO_RATE), "-ac", "2"] + BITEXACT +
                ["-f", "dvd", "-muxrate", "10080000", "-packetsize", "2048", path], frames)


def write_png(path, img):
    h, w = img.shape[:2]
    ffmpeg_pipe(["-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}", "-i", "-", "-frames:v", "1",
                 "-pix_fmt", "rgb24"] + BITEXACT + [path], [img])


CLEAN_CRF = 12
TAPE_CLEAN_CRF = 12
TAPE_OLD_CRF = 28


# ============================================================================================
# Clip builders
# ============================================================================================
def build_reel(seed):
    """Clean HR frames (uint8) and their degraded LR counterparts, plus per-frame truth."""
    W, H, s = REEL["width"], REEL["height"], REEL["scale"]
    w, h = W // s, H // s
    scenes = REEL["scenes"]
    starts = scene_starts(scenes)
    n = sum(sc["frames"] for sc in scenes)
    gains = reel_flicker_gains(n, seed, DEGRADE["flicker"])
    clean, old, per_frame, scratch_truth = [], [], [], []
    for si, (sc, start) in enumerate(zip(scenes, starts)):
        photo = load_photo(sc["photo"])
        check_rect_inside(sc, photo, W, W / H)
        scratches = scene_scratches(rng_for(seed, S_REEL_SCRATCH, si), w, sc["frames"], DEGRADE["scratches"])
        scratch_truth.append(scratches)
        for lf in range(sc["frames"]):
            f = start + lf
            rect = camera_rect(sc, lf / (sc["frames"] - 1), W / H)
            hr = to_uint8(render_rect(photo, rect, W, H))
            clean.append(hr)
            # --- degrade in the LR domain; per-frame generator so frames are independent ---
            rng = rng_for(seed, S_REEL_FRAME, f)
            lr = resize(hr.astype(np.float32) / 255.0, w, h)
            lr = fade_colours(lr, DEGRADE["fade"])
            lr = lr * np.float32(gains[f])
            lr = add_grain(lr, rng, DEGRADE["grain"]["sigma_mid"], DEGRADE["grain"]["sigma_floor_fraction"],
                           DEGRADE["grain"]["correlation_sigma_px"], DEGRADE["grain"]["chroma_mix"])
            specks = dust_specks(rng, w, h, DEGRADE["dust"]["mean_per_frame"], *DEGRADE["dust"]["radius_px"],
                                 DEGRADE["dust"]["dark_probability"])
            lr = add_dust(lr, specks)
            for scr in scratches:
                lr = add_scratch(lr, scr, lf)
            lr = gaussian_blur(lr, DEGRADE["telecine_blur_sigma_px"])
            old.append(to_uint8(lr))
            per_frame.append(dict(frame=f, scene=si, camera_rect=[round(v, 3) for v in rect],
                                  flicker_gain=round(float(gains[f]), 4),
                                  dust=[dict(x=round(d["x"], 2), y=round(d["y"], 2),
                                             radius=round(max(d["rx"], d["ry"]), 2),
                                             polarity="dark" if d["dark"] else "bright") for d in specks],
                                  scratches_x=[round(scr["x"][lf], 2) for scr in scratches]))
    return clean, old, per_frame, scratch_truth


def build_tape(seed):
    """Clean HR frames of the tape clip and their analogue-transfer LR counterparts."""
    W, H, s = TAPE["width"], TAPE["height"], TAPE["scale"]
    w, h = W // s, H // s
    clean, old, per_frame = [], [], []
    for si, (sc, start) in enumerate(zip(TAPE["scenes"], scene_starts(TAPE["scenes"]))):
        photo = load_photo(sc["photo"])
        check_rect_inside(sc, photo, W, W / H)
        for lf in range(sc["frames"]):
            f = start + lf
            rect = camera_rect(sc, lf / (sc["frames"] - 1), W / H)
            hr = to_uint8(render_rect(photo, rect, W, H))
            clean.append(hr)
            lr = resize(hr.astype(np.float32) / 255.0, w, h)
            old.append(to_uint8(tape_transfer(lr, rng_for(seed, S_TAPE_FRAME, f), TAPE_DEGRADE)))
            per_frame.append(dict(frame=f, scene=si, camera_rect=[round(v, 3) for v in rect]))
    return clean, old, per_frame


def build_dvd(seed):
    """Interlaced frames: the top field (even lines) is rendered at frame time, the bottom
    field half a frame later, as a video camera would; cuts fall on frame boundaries."""
    W, H = DVD["width"], DVD["height"]
    aspect = DVD["dar"][0] / DVD["dar"][1]  # the photo rect has the DISPLAY aspect
    frames, rects = [], []
    for sc, start in zip(DVD["scenes"], scene_starts(DVD["scenes"])):
        photo = load_photo(sc["photo"])
        check_rect_inside(sc, photo, W, aspect)
        n = sc["frames"]
        for lf in range(n):
            frame = np.empty((H, W, 3), np.float32)
            for field in (0, 1):
                t = (lf + 0.5 * field) / (n - 0.5)
                rect = camera_rect(sc, t, aspect)
                rows = np.arange(field, H, 2)
                img = render_rect(photo, rect, W, H, rows=rows)
                img = add_grain(img, rng_for(seed, S_DVD_GRAIN, 2 * (start + lf) + field), 0.03)
                frame[field::2] = img
                if field == 0:
                    rects.append([round(v, 3) for v in rect])
            frames.append(to_uint8(frame))
    return frames, rects


def build_flicker(seed):
    W, H = FLICKER["width"], FLICKER["height"]
    sc = FLICKER["scene"]
    photo = load_photo(sc["photo"])
    check_rect_inside(sc, photo, W, W / H)
    gains = strong_flicker_gains(sc["frames"], seed)
    frames, truth = [], []
    for f in range(sc["frames"]):
        rng = rng_for(seed, S_FLK_FRAME, f)
        rect = camera_rect(sc, f / (sc["frames"] - 1), W / H)
        img = render_rect(photo, rect, W, H)
        img = fade_colours(img, DEGRADE["fade"]) * np.float32(gains[f])
        img = add_grain(img, rng, FLICKER_DEGRADE["grain"]["sigma_mid"])
        specks = dust_specks(rng, W, H, FLICKER_DEGRADE["dust"]["mean_per_frame"])
        img = add_dust(img, specks)
        img = gaussian_blur(img, FLICKER_DEGRADE["telecine_blur_sigma_px"])
        u8 = to_uint8(img)
        frames.append(u8)
        truth.append(dict(frame=f, flicker_gain=round(float(gains[f]), 4),
                          mean_luma=round(float(luma(u8.astype(np.float32)).mean()), 2)))
    return frames, truth


def build_stills():
    out = []
    for name, photo, x, y, w, h in STILLS:
        img = load_photo(photo)
        out.append((name, photo, [x, y, w, h], to_uint8(img[y:y + h, x:x + w])))
    return out


# ============================================================================================
# Verification (ffprobe) and bookkeeping
# ============================================================================================
def probe(path):
    info = json.loads(run_text(["ffprobe", "-v", "error", "-count_frames", "-show_streams", "-show_format",
                                "-of", "json", path]))
    res = dict(format=info["format"]["format_name"], duration_s=float(info["format"].get("duration", 0)),
               start_time_s=float(info["format"].get("start_time", 0)), streams=[])
    for s in info["streams"]:
        d = dict(type=s["codec_type"], codec=s["codec_name"], duration_s=float(s["duration"]) if "duration" in s else None,
                 start_time_s=float(s.get("start_time", 0)), nb_read_frames=int(s.get("nb_read_frames", 0)),
                 nb_frames_header=int(s["nb_frames"]) if "nb_frames" in s else None)
        if s["codec_type"] == "video":
            d.update(width=s["width"], height=s["height"], pix_fmt=s["pix_fmt"], r_frame_rate=s["r_frame_rate"],
                     sample_aspect_ratio=s.get("sample_aspect_ratio"), display_aspect_ratio=s.get("display_aspect_ratio"),
                     field_order=s.get("field_order"), color_space=s.get("color_space"), profile=s.get("profile"))
        elif s["codec_type"] == "audio":
            d.update(sample_rate=int(s["sample_rate"]), channels=s["channels"])
        res["streams"].append(d)
    return res


def expect(cond, msg):
    if not cond:
        sys.exit("verification failed: " + msg)


def verify(path, n_frames, w, h, fps, audio, sar=None, field_order=None, start_pts=0.0):
    p = probe(path)
    v = [s for s in p["streams"] if s["type"] == "video"]
    a = [s for s in p["streams"] if s["type"] == "audio"]
    expect(len(v) == 1, f"{path}: one video stream")
    v = v[0]
    expect(v["nb_read_frames"] == n_frames, f"{path}: {v['nb_read_frames']} frames decoded, expected {n_frames}")
    expect((v["width"], v["height"]) == (w, h), f"{path}: size {v['width']}x{v['height']}")
    expect(v["r_frame_rate"] == f"{fps[0]}/{fps[1]}", f"{path}: rate {v['r_frame_rate']}")
    expect(len(a) == (1 if audio else 0), f"{path}: audio streams {len(a)}")
    # MPEG-PS carries a PTS only where a PES packet starts, so some frames have none (N/A).
    pts = [float(x.split(",")[0].replace("N/A", "nan")) for x in run_text(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                                       "frame=best_effort_timestamp_time", "-of", "csv=p=0", path]).split()]
    rel = np.asarray(pts) - pts[0]
    known = ~np.isnan(rel)
    expect(len(pts) == n_frames and np.allclose(rel[known], np.arange(n_frames)[known] * fps[1] / fps[0], atol=1e-3),
           f"{path}: frame timestamps are not i * {fps[1]}/{fps[0]}")
    expect(start_pts is None or abs(pts[0] - start_pts) < 1e-3, f"{path}: first pts {pts[0]}")
    p["first_video_pts_s"] = pts[0]
    p["video_frames_without_pts"] = [int(i) for i in np.flatnonzero(~known)]
    if sar:
        expect(v["sample_aspect_ratio"] == sar, f"{path}: SAR {v['sample_aspect_ratio']}")
    if field_order:
        expect(v["field_order"] == field_order, f"{path}: field order {v['field_order']}")
    return p


def md5(path):
    with open(path, "rb") as f:
        return hashlib.md5(f.read()).hexdigest()


def times(starts, fps):
    return [round(s * fps[1] / fps[0], 6) for s in starts]


def photo_entry(name):
    p = PHOTOS[name]
    return dict(name=name, file=p["path"], package=p["package"], author=p["author"], year=p["year"],
                licence=p["licence"], licence_source=f"/usr/share/doc/{p['package']}/copyright")


# ============================================================================================
def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=HERE, help="output folder (default: the samples folder)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--install-photos", action="store_true",
                    help="if the photo packages are missing and we are root, apt-get install them")
    args = ap.parse_args()
    check_environment(args.install_photos)
    os.makedirs(args.out, exist_ok=True)
    out = lambda name: os.path.join(args.out, name)  # noqa: E731
    seed = args.seed
    fps = REEL["fps"]

    with tempfile.TemporaryDirectory(prefix="filmsr_samples_") as tmp:
        # ---- reel_clean.mp4 / reel_old.mp4 ----
        print("rendering reel (clean + degraded) ...", flush=True)
        clean, old, per_frame, _ = build_reel(seed)
        n_reel = len(clean)
        starts = scene_starts(REEL["scenes"])
        reel_wav = os.path.join(tmp, "reel.wav")
        write_wav(reel_wav, synth_soundtrack(n_reel * AUDIO_RATE * fps[1] // fps[0], times(starts, fps),
                                             50, fps[0] / fps[1], seed))
        print("encoding reel_clean.mp4 ...", flush=True)
        encode_reel_clean(out("reel_clean.mp4"), clean, fps, reel_wav)
        print("encoding reel_old.mp4 ...", flush=True)
        encode_reel_old(out("reel_old.mp4"), old, fps, reel_wav, tmp)
        raw_md5 = dict(reel_clean=hashlib.md5(b"".join(c.tobytes() for c in clean)).hexdigest(),
                       reel_old=hashlib.md5(b"".join(o.tobytes() for o in old)).hexdigest())
        del clean, old

        # ---- flicker_nocut.mp4 ----
        print("rendering flicker_nocut.mp4 ...", flush=True)
        flk, flk_truth = build_flicker(seed)
        raw_md5["flicker_nocut"] = hashlib.md5(b"".join(f.tobytes() for f in flk)).hexdigest()
        encode_flicker(out("flicker_nocut.mp4"), flk, FLICKER["fps"])

        # ---- dvd_ntsc.mpg ----
        print("rendering dvd_ntsc.mpg ...", flush=True)
        dvd, dvd_rects = build_dvd(seed)
        raw_md5["dvd_ntsc"] = hashlib.md5(b"".join(f.tobytes() for f in dvd)).hexdigest()
        dvd_starts = scene_starts(DVD["scenes"])
        n_dvd = len(dvd)
        dvd_wav = os.path.join(tmp, "dvd.wav")
        write_wav(dvd_wav, synth_soundtrack(n_dvd * AUDIO_RATE * DVD["fps"][1] // DVD["fps"][0],
                                            times(dvd_starts, DVD["fps"]), 60, DVD["fps"][0] / DVD["fps"][1], seed))
        encode_dvd(out("dvd_ntsc.mpg"), dvd, dvd_wav)

        # ---- stills ----
        stills = build_stills()
        for name, _, _, img in stills:
            write_png(out(name), img)

        # ---- tape_clean.mp4 / tape_old.mp4 ----
        print("rendering tape (clean + analogue transfer) ...", flush=True)
        tape_clean, tape_old, tape_per_frame = build_tape(seed)
        n_tape = len(tape_clean)
        tape_fps = TAPE["fps"]
        tape_starts = scene_starts(TAPE["scenes"])
        tape_wav = os.path.join(tmp, "tape.wav")
        write_wav(tape_wav, synth_soundtrack(n_tape * AUDIO_RATE * tape_fps[1] // tape_fps[0],
                                             times(tape_starts, tape_fps), 50, tape_fps[0] / tape_fps[1], seed,
                                             stream=S_TAPE_AUDIO))
        print("encoding tape_clean.mp4 and tape_old.mp4 ...", flush=True)
        encode_tape_clean(out("tape_clean.mp4"), tape_clean, tape_fps, tape_wav)
        encode_tape_old(out("tape_old.mp4"), tape_old, tape_fps, tape_wav)
        tape_raw_md5 = dict(tape_clean=hashlib.md5(b"".join(c.tobytes() for c in tape_clean)).hexdigest(),
                            tape_old=hashlib.md5(b"".join(o.tobytes() for o in tape_old)).hexdigest())
        del tape_clean, tape_old

    # ---- verify with ffprobe ----
    print("verifying with ffprobe ...", flush=True)
    lw, lh = REEL["width"] // REEL["scale"], REEL["height"] // REEL["scale"]
    probes = dict(
        reel_clean=verify(out("reel_clean.mp4"), n_reel, REEL["width"], REEL["height"], fps, True, sar="1:1"),
        reel_old=verify(out("reel_old.mp4"), n_reel, lw, lh, fps, True, sar="1:1"),
        flicker_nocut=verify(out("flicker_nocut.mp4"), FLICKER["scene"]["frames"], FLICKER["width"],
                             FLICKER["height"], FLICKER["fps"], False, sar="1:1"),
        dvd_ntsc=verify(out("dvd_ntsc.mpg"), n_dvd, DVD["width"], DVD["height"], DVD["fps"], True,
                        sar="8:9", field_order="tt", start_pts=None),
    )
    for name, _, _, img in stills:
        p = probe(out(name))["streams"][0]
        expect((p["width"], p["height"], p["pix_fmt"]) == (img.shape[1], img.shape[0], "rgb24"), f"{name}: {p}")
    tw, th = TAPE["width"] // TAPE["scale"], TAPE["height"] // TAPE["scale"]
    tape_probes = dict(
        tape_clean=verify(out("tape_clean.mp4"), n_tape, TAPE["width"], TAPE["height"], tape_fps, True, sar="1:1"),
        tape_old=verify(out("tape_old.mp4"), n_tape, tw, th, tape_fps, True, sar="1:1"),
    )

    # ---- reel.json ----
    def scene_list(scenes, starts_):
        return [dict(index=i, first_frame=st, frame_count=sc["frames"], photo=photo_entry(sc["photo"]),
                     camera=dict(move=sc["move"], start_centre_width=list(sc["start"]), end_centre_width=list(sc["end"]),
                                 units="pixels of the photo after a 2x2 box downscale",
                                 easing="e(t) = 0.5 t + 0.5 smoothstep(t); centre linear in e, width geometric in e"))
                for i, (sc, st) in enumerate(zip(scenes, starts_))]

    reel_scenes = scene_list(REEL["scenes"], starts)
    truth = dict(
        generator="samples/make_samples.py", seed=seed,
        conventions=dict(
            cuts="0-based index of the FIRST frame of every scene, including 0",
            hard_cuts="the same without 0: frames that start a new shot",
            cut_times_s="cuts * fps_den / fps_num, relative to the first frame (add the stream start_time for absolute pts)",
            colour="BT.601 matrix, limited (tv) range, tagged smpte170m",
        ),
        reel_clean=dict(file="reel_clean.mp4", width=REEL["width"], height=REEL["height"], sar="1:1",
                        fps=f"{fps[0]}/{fps[1]}", frame_count=n_reel, duration_s=n_reel * fps[1] / fps[0],
                        video="libx264 yuv444p crf %d preset slow" % CLEAN_CRF, audio="aac 48 kHz stereo 128k",
                        cuts=starts, hard_cuts=starts[1:], cut_times_s=times(starts, fps), scenes=reel_scenes,
                        raw_rgb24_md5=raw_md5["reel_clean"], probe=probes["reel_clean"]),
        reel_old=dict(file="reel_old.mp4", width=lw, height=lh, sar="1:1", scale_from_clean=REEL["scale"],
                      fps=f"{fps[0]}/{fps[1]}", frame_count=n_reel, duration_s=n_reel * fps[1] / fps[0],
                      same_frames_as="reel_clean.mp4", video="libx264 yuv420p crf 23 (after an mpeg2video 600k generation)",
                      audio="aac 48 kHz stereo 96k (same soundtrack)",
                      cuts=starts, hard_cuts=starts[1:], cut_times_s=times(starts, fps), scenes=reel_scenes,
                      degradation=DEGRADE, per_frame=per_frame, raw_rgb24_md5=raw_md5["reel_old"],
                      probe=probes["reel_old"]),
        flicker_nocut=dict(file="flicker_nocut.mp4", width=FLICKER["width"], height=FLICKER["height"], sar="1:1",
                           fps="%d/%d" % FLICKER["fps"], frame_count=FLICKER["scene"]["frames"],
                           duration_s=FLICKER["scene"]["frames"] * FLICKER["fps"][1] / FLICKER["fps"][0],
                           video="libx264 yuv420p crf 23", audio=None, cuts=[0], hard_cuts=[], cut_times_s=[0.0],
                           scenes=scene_list([FLICKER["scene"]], [0]), degradation=FLICKER_DEGRADE,
                           per_frame=flk_truth, raw_rgb24_md5=raw_md5["flicker_nocut"], probe=probes["flicker_nocut"]),
        dvd_ntsc=dict(file="dvd_ntsc.mpg", container="MPEG-2 program stream (DVD VOB flavour); no frame count in any header",
                      width=DVD["width"], height=DVD["height"], sar="8:9", dar="4:3", fps="%d/%d" % DVD["fps"],
                      frame_count=n_dvd, duration_s=round(n_dvd * DVD["fps"][1] / DVD["fps"][0], 6),
                      interlaced=True, field_order="tff",
                      field_timing="top field (even lines) at frame time, bottom field half a frame later",
                      video="mpeg2video 4 Mbit/s, GOP 15, 2 B-frames, +ilme+ildct, alternate scan",
                      audio="ac3 48 kHz stereo 192k", grain_sigma_mid=0.03,
                      cuts=dvd_starts, hard_cuts=dvd_starts[1:], cut_times_s=times(dvd_starts, DVD["fps"]),
                      scenes=scene_list(DVD["scenes"], dvd_starts), top_field_camera_rects=dvd_rects,
                      raw_rgb24_md5=raw_md5["dvd_ntsc"], probe=probes["dvd_ntsc"]),
        stills=[dict(file=name, width=img.shape[1], height=img.shape[0], pix_fmt="rgb24",
                     crop_xywh_in_2x_downscaled_photo=crop, photo=photo_entry(photo))
                for name, photo, crop, img in stills],
        audio=dict(sample_rate=AUDIO_RATE, channels=2,
                   content="mains hum (50 Hz reels, 60 Hz DVD) + shutter clatter at the frame rate + "
                           "sine melody whose key and pan change at every cut + hiss"),
    )
    with open(out("reel.json"), "w") as f:
        json.dump(truth, f, indent=1)
        f.write("\n")

    # ---- tape.json (same schema as reel.json: one object per clip, with its cuts) ----
    tape_scenes = scene_list(TAPE["scenes"], tape_starts)
    tape_duration = n_tape * tape_fps[1] / tape_fps[0]
    tape_truth = dict(
        generator="samples/make_samples.py", seed=seed, conventions=truth["conventions"],
        tape_clean=dict(file="tape_clean.mp4", width=TAPE["width"], height=TAPE["height"], sar="1:1",
                        fps="%d/%d" % tape_fps, frame_count=n_tape, duration_s=tape_duration,
                        video="libx264 yuv444p crf %d preset slow" % TAPE_CLEAN_CRF, audio="aac 48 kHz stereo 128k",
                        cuts=tape_starts, hard_cuts=tape_starts[1:], cut_times_s=times(tape_starts, tape_fps),
                        scenes=tape_scenes, raw_rgb24_md5=tape_raw_md5["tape_clean"], probe=tape_probes["tape_clean"]),
        tape_old=dict(file="tape_old.mp4", width=tw, height=th, sar="1:1", scale_from_clean=TAPE["scale"],
                      fps="%d/%d" % tape_fps, frame_count=n_tape, duration_s=tape_duration,
                      same_frames_as="tape_clean.mp4", video="libx264 yuv420p crf %d preset medium (one generation)"
                      % TAPE_OLD_CRF, audio="aac 48 kHz stereo 96k (same soundtrack)",
                      cuts=tape_starts, hard_cuts=tape_starts[1:], cut_times_s=times(tape_starts, tape_fps),
                      scenes=tape_scenes, degradation=TAPE_DEGRADE, per_frame=tape_per_frame,
                      raw_rgb24_md5=tape_raw_md5["tape_old"], probe=tape_probes["tape_old"]),
        audio=dict(sample_rate=AUDIO_RATE, channels=2,
                   content="mains hum (50 Hz) + shutter clatter at the frame rate + "
                           "sine melody whose key and pan change at every cut + hiss"),
    )
    with open(out("tape.json"), "w") as f:
        json.dump(tape_truth, f, indent=1)
        f.write("\n")

    # ---- report ----
    names = ["reel_clean.mp4", "reel_old.mp4", "flicker_nocut.mp4", "dvd_ntsc.mpg", "still.png", "still_odd.png",
             "reel.json", "tape_clean.mp4", "tape_old.mp4", "tape.json"]
    total = 0
    print("\nwrote (seed %d):" % seed)
    for name in names:
        size = os.path.getsize(out(name))
        total += size
        print(f"  {name:18s} {size:9d} bytes  md5 {md5(out(name))}")
    print(f"  total {total / 1e6:.2f} MB")
    print("reel cuts:", starts, " dvd cuts:", dvd_starts, " tape cuts:", tape_starts)
    for k, v in list(raw_md5.items()) + list(tape_raw_md5.items()):
        print(f"  raw rgb24 md5 {k}: {v}")


if __name__ == "__main__":
    main()
