#!/usr/bin/env python3
"""Generate the persona illustrations in zio/static/img/avatars/.

Standalone (standard library only, no Django):

    python3 scripts/generate_avatars.py

writes avatar-01.svg ... avatar-12.svg. Each matches its description in
zio/personas/avatars.py. The output is deterministic: running the script twice
gives identical files.

Rules for the SVG (the site's Content-Security-Policy blocks inline styles):
presentation attributes only, no ``style`` attributes or ``<style>`` elements,
no scripts, no external references, no text and no ids (several avatars can
appear on one page).

Layout (viewBox 0 0 120 120): background circle r=60; face ellipse centred on
(60, 60), 44 wide and 50 high; eyes at (51, 58) and (69, 58). Hair in front of
the face never reaches below y=51, so the eyes stay free.
"""

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "zio" / "static" / "img" / "avatars"

SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 120" aria-hidden="true">'

# Shoulders: the bottom follows the background circle, so nothing sticks out of it.
BODY = "M24 108C28 94 42 86 60 86S92 94 96 108A60 60 0 0 1 24 108z"
NECK = "M50 86h20l-2 10H52z"


# --- colours -------------------------------------------------------------


def _rgb(colour):
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def _hex(rgb):
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def shade(colour, factor):
    """Darken a colour (factor < 1)."""
    return _hex(c * factor for c in _rgb(colour))


def mix(colour, other, t):
    """Mix a fraction ``t`` of ``other`` into ``colour``."""
    return _hex(x + (y - x) * t for x, y in zip(_rgb(colour), _rgb(other), strict=True))


# --- shared parts --------------------------------------------------------


def ears(c):
    return (
        f'<g fill="{c["skin"]}"><ellipse cx="38" cy="61" rx="4" ry="5.5"/>'
        '<ellipse cx="82" cy="61" rx="4" ry="5.5"/></g>'
    )


def hair_mass(c):
    """Hair behind the face, for the short and tied-up styles."""
    return f'<ellipse cx="60" cy="54" rx="24" ry="23" fill="{c["hair"]}"/>'


def path(d, fill):
    return f'<path d="{d}" fill="{fill}"/>'


# --- hair styles ---------------------------------------------------------
# Each returns (back, head, front): ``back`` is drawn over the sweater but
# behind the neck, ``head`` behind the face and ``front`` over the face.


def hair_curls(c):
    curls = "".join(
        f'<circle cx="{x}" cy="{y}" r="{r}"/>'
        for x, y, r in (
            (42, 40, 11),
            (54, 31, 12),
            (68, 31, 12),
            (79, 41, 11),
            (36, 55, 9),
            (85, 56, 9),
        )
    )
    head = f'<g fill="{c["hair"]}">{curls}</g>'
    front = path("M40 48q20-16 40 0q-4-14-20-14t-20 14z", c["hair"])
    return "", head, front


def hair_short_side(c):
    front = path(
        "M37 52C36 38 46 31 60 31C74 31 84 38 83 52C80 45 73 41 65 42C57 43 49 46 43 44"
        "C40 45 38 48 37 52z",
        c["hair"],
    )
    return "", hair_mass(c) + ears(c), front


def hair_short_straight(c):
    front = path(
        "M37 52C36 37 46 31 60 31C74 31 84 37 83 52C82 47 80 45 77 45Q60 48 43 45"
        "C40 45 38 47 37 52z",
        c["hair"],
    )
    return "", hair_mass(c) + ears(c), front


def hair_ponytail(c):
    back = path("M78 38C97 40 102 62 97 80C95 88 91 94 86 98C88 86 87 70 80 56z", c["hair"])
    front = (
        path(
            "M37 52C36 38 46 31 60 31C74 31 84 38 83 52C80 44 74 38 66 38C60 38 56 40 51 40"
            "C45 40 40 45 37 52z",
            c["hair"],
        )
        + f'<circle cx="81" cy="40" r="3.5" fill="{c["tie"]}"/>'
    )
    return back, hair_mass(c), front


def hair_braids(c):
    back = ""
    for x in (36, 84):
        plaits = "".join(f'<ellipse cx="{x}" cy="{y}" rx="5" ry="5.5"/>' for y in (66, 75, 84, 93))
        back += (
            f'<g fill="{c["hair"]}" stroke="{c["hair_line"]}" stroke-width="1">{plaits}</g>'
            + path(f"M{x - 5} 103l3-4h4l3 4q-5 3-10 0z", c["hair"])
            + f'<rect x="{x - 4}" y="97" width="8" height="3.5" rx="1.5" fill="{c["tie"]}"/>'
        )
    front = path(
        "M37 52C36 38 46 31 60 31C74 31 84 38 83 52C80 43 72 38 62 37L60 40L58 37"
        "C48 38 40 43 37 52z",
        c["hair"],
    )
    return back, hair_mass(c), front


def hair_bun(c):
    head = f'<circle cx="60" cy="23" r="10" fill="{c["hair"]}"/>' + hair_mass(c)
    front = (
        path(
            "M37 52C36 38 46 31 60 31C74 31 84 38 83 52C80 44 71 39 60 39C49 39 40 44 37 52z",
            c["hair"],
        )
        + f'<rect x="53" y="28.5" width="14" height="4" rx="2" fill="{c["tie"]}"/>'
    )
    return "", head, front


def hair_spiky(c):
    spikes = path(
        "M36 54L33 37L41 39L40 27L49 33L53 21L60 30L67 21L71 33L80 27L79 39L87 37L84 54z",
        c["hair"],
    )
    front = path(
        "M38 50C38 37 48 32 60 32C72 32 82 37 82 50L78 43L74 46L70 40L65 45L60 39L55 45"
        "L50 40L46 46L42 43z",
        c["hair"],
    )
    return "", spikes + hair_mass(c) + ears(c), front


def hair_bob(c):
    back = path(
        "M60 28C42 28 32 40 32 56C32 66 31 74 30 80Q38 84 44 80L76 80Q82 84 90 80"
        "C89 74 88 66 88 56C88 40 78 28 60 28z",
        c["hair"],
    )
    front = path(
        "M37 56C35 39 46 31 60 31C74 31 85 39 83 56C81 46 75 41 67 40C59 40 50 45 42 46"
        "C40 48 38 52 37 56z",
        c["hair"],
    )
    return back, "", front


def hair_long(c):
    back = path(
        "M60 29C42 29 33 40 32 56C31 72 33 88 30 100Q37 103 44 99C42 92 42 86 44 80"
        "L76 80C78 86 78 92 76 99Q83 103 90 100C87 88 89 72 88 56C87 40 78 29 60 29z",
        c["hair"],
    )
    front = path(
        "M37 58C35 39 46 31 60 31C74 31 85 39 83 58C81 47 75 41 67 39C61 45 50 48 41 49"
        "C39 51 38 54 37 58z",
        c["hair"],
    )
    return back, "", front


def hair_afro(c):
    head = f'<ellipse cx="60" cy="52" rx="26" ry="24" fill="{c["hair"]}"/>'
    front = path(
        "M38 52C38 39 48 33 60 33C72 33 82 39 82 52C77 43 69 40 60 40C51 40 43 43 38 52z",
        c["hair"],
    )
    return "", head, front


def hair_under_cap(c):
    # Short hair, visible at the sides under the cap.
    return "", hair_mass(c) + ears(c), ""


def headscarf(c):
    # The scarf covers hair, ears and neck; the face shows through an oval
    # opening (even-odd fill), drawn over the face.
    front = (
        f'<path fill-rule="evenodd" fill="{c["scarf"]}" d="M60 25C40 25 31 41 31 60'
        "C31 78 36 90 46 99Q60 103 74 99C84 90 89 78 89 60C89 41 80 25 60 25z"
        'M41 62a19 22 0 1 0 38 0a19 22 0 1 0-38 0z"/>'
        f'<path d="M45 89Q60 97 75 89" fill="none" stroke="{c["scarf_line"]}" '
        'stroke-width="1.5" stroke-linecap="round"/>'
    )
    return "", "", front


HAIR = {
    "curls": hair_curls,
    "short-side": hair_short_side,
    "short-straight": hair_short_straight,
    "ponytail": hair_ponytail,
    "braids": hair_braids,
    "bun": hair_bun,
    "spiky": hair_spiky,
    "bob": hair_bob,
    "long": hair_long,
    "afro": hair_afro,
    "under-cap": hair_under_cap,
    "headscarf": headscarf,
}


# --- accessories ---------------------------------------------------------


def glasses(c):
    return (
        f'<g fill="none" stroke="{c["frame"]}" stroke-width="2">'
        '<circle cx="51" cy="58" r="6.5"/><circle cx="69" cy="58" r="6.5"/>'
        '<path d="M57.5 57q2.5-2 5 0M44.5 57l-5.5-2M75.5 57l5.5-2" stroke-linecap="round"/></g>'
    )


def freckles(c):
    dots = "".join(
        f'<circle cx="{x:g}" cy="{y:g}" r=".9"/><circle cx="{120 - x:g}" cy="{y:g}" r=".9"/>'
        for x, y in ((44, 64), (47.5, 66), (44.5, 68.5), (48, 62.5))
    )
    return f'<g fill="{c["freckle"]}">{dots}</g>'


def cap(c):
    return (
        path("M36 48C36 30 47 22 60 22C73 22 84 30 84 48z", c["cap"])
        + f'<path d="M60 24V45" stroke="{c["cap_line"]}" stroke-width="1.2"/>'
        + f'<circle cx="60" cy="22.5" r="2.2" fill="{c["cap_line"]}"/>'
        + path("M32 48Q60 39 88 48Q60 57 32 48z", c["cap_line"])
    )


def headphones(c):
    band = (
        f'<path d="M35 55C33 32 46 24 60 24C74 24 87 32 85 55" fill="none" '
        f'stroke="{c["phones"]}" stroke-width="5" stroke-linecap="round"/>'
    )
    cups = "".join(
        f'<rect x="{x}" y="50" width="11" height="19" rx="5" fill="{c["phones"]}"/>'
        f'<rect x="{pad}" y="54" width="5" height="11" rx="2.5" fill="{c["phones_accent"]}"/>'
        for x, pad in ((29, 35), (80, 80))
    )
    return band + cups


EXTRAS = {
    "glasses": glasses,
    "freckles": freckles,
    "cap": cap,
    "headphones": headphones,
}


# --- the twelve ----------------------------------------------------------
# Skin tones range from warm light (#f7dac4) to deep brown (#5c3624).

AVATARS: list[dict[str, Any]] = [
    {  # Dark curls, blue sweater (the default avatar).
        "id": "avatar-01",
        "bg": "#e3f0f2",
        "skin": "#a86b47",
        "hair": "#2b1a12",
        "sweater": "#0b5f73",
        "style": "curls",
    },
    {  # Long blond hair in a ponytail, green sweater.
        "id": "avatar-02",
        "bg": "#f4ede2",
        "skin": "#f3cfae",
        "hair": "#e0b45a",
        "sweater": "#5a8f63",
        "style": "ponytail",
        "tie": "#d9707f",
    },
    {  # Short black hair, glasses, orange sweater.
        "id": "avatar-03",
        "bg": "#e4eef4",
        "skin": "#e6b98f",
        "hair": "#1f1d24",
        "sweater": "#dd8840",
        "style": "short-straight",
        "extras": ["glasses"],
        "frame": "#2a3444",
    },
    {  # Headscarf, purple sweater.
        "id": "avatar-04",
        "bg": "#f3ece4",
        "skin": "#c68a5c",
        "sweater": "#7b5ea7",
        "style": "headscarf",
        "scarf": "#4e8c8a",
        "cheeks": (46.5, 3.5),
    },
    {  # Red hair, freckles, yellow sweater.
        "id": "avatar-05",
        "bg": "#e5eef0",
        "skin": "#f7dac4",
        "hair": "#b5542b",
        "sweater": "#e3b540",
        "style": "bob",
        "extras": ["freckles"],
    },
    {  # Two braids, red sweater.
        "id": "avatar-06",
        "bg": "#e8eef2",
        "skin": "#6b4029",
        "hair": "#221510",
        "sweater": "#c0504a",
        "style": "braids",
        "tie": "#f0c24e",
    },
    {  # Short brown hair, grey sweater.
        "id": "avatar-07",
        "bg": "#e4efe6",
        "skin": "#eec39b",
        "hair": "#6e4427",
        "sweater": "#858d98",
        "style": "short-side",
    },
    {  # Cap, blue sweater.
        "id": "avatar-08",
        "bg": "#f4ecdd",
        "skin": "#87522f",
        "hair": "#1e1510",
        "sweater": "#3f6fa6",
        "style": "under-cap",
        "extras": ["cap"],
        "cap": "#e0a03c",
    },
    {  # Black hair in a bun, turquoise sweater.
        "id": "avatar-09",
        "bg": "#f2e9ee",
        "skin": "#dcab82",
        "hair": "#1c1a1f",
        "sweater": "#2a9a92",
        "style": "bun",
        "tie": "#d9707f",
    },
    {  # Blond spiky hair, green sweater.
        "id": "avatar-10",
        "bg": "#eaf0f6",
        "skin": "#c4885c",
        "hair": "#e6c062",
        "sweater": "#76a04c",
        "style": "spiky",
    },
    {  # Long dark hair, glasses, pink sweater.
        "id": "avatar-11",
        "bg": "#eef0e4",
        "skin": "#5c3624",
        "hair": "#1b110c",
        "sweater": "#d98aa6",
        "style": "long",
        "extras": ["glasses"],
        "frame": "#e2b84c",
    },
    {  # Headphones, orange sweater.
        "id": "avatar-12",
        "bg": "#e8eef6",
        "skin": "#9a6240",
        "hair": "#2a1c14",
        "sweater": "#d9744a",
        "style": "afro",
        "extras": ["headphones"],
        "phones": "#3a4252",
        "phones_accent": "#7fb8c4",
    },
]


def colours(a):
    """The avatar's own colours plus the ones derived from them."""
    skin = a["skin"]
    c = dict(a)
    c.setdefault("hair", "#000000")
    c.setdefault("tie", shade(a["sweater"], 0.8))
    c["neck"] = shade(skin, 0.84)
    c["ink"] = shade(skin, 0.26)
    c["blush"] = mix(skin, "#ff7f6e", 0.5)
    c["freckle"] = mix(skin, "#9a4f2c", 0.6)
    c["hair_line"] = mix(c["hair"], "#ffffff", 0.18)
    if "scarf" in a:
        c["scarf_line"] = shade(a["scarf"], 0.8)
    if "cap" in a:
        c["cap_line"] = shade(a["cap"], 0.82)
    return c


def render(a):
    c = colours(a)
    back, head, front = HAIR[a["style"]](c)
    cx, r = a.get("cheeks", (45, 4))
    parts = [
        SVG_OPEN,
        f'<circle cx="60" cy="60" r="60" fill="{c["bg"]}"/>',
        path(BODY, c["sweater"]),
        back,
        path(NECK, c["neck"]),
        head,
        f'<ellipse cx="60" cy="60" rx="22" ry="25" fill="{c["skin"]}"/>',
        f'<g fill="{c["blush"]}" opacity=".55"><circle cx="{cx:g}" cy="67" r="{r:g}"/>'
        f'<circle cx="{120 - cx:g}" cy="67" r="{r:g}"/></g>',
        f'<g fill="{c["ink"]}"><circle cx="51" cy="58" r="2.8"/>'
        '<circle cx="69" cy="58" r="2.8"/></g>',
        '<g fill="#ffffff"><circle cx="52" cy="57" r=".9"/><circle cx="70" cy="57" r=".9"/></g>',
        f'<path d="M51 70q9 7 18 0" fill="none" stroke="{c["ink"]}" stroke-width="2.5" '
        'stroke-linecap="round"/>',
        front,
        *(EXTRAS[name](c) for name in a.get("extras", [])),
        "</svg>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


def main():
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for a in AVATARS:
        svg = render(a)
        (OUT_DIR / f"{a['id']}.svg").write_text(svg, encoding="utf-8")
        print(f"{a['id']}  {len(svg.encode('utf-8')):5d} bytes")


if __name__ == "__main__":
    main()
