"""Hostile text for the sweep: script-running shapes, and the tricks that disguise them."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

# Remote images the payloads name as images: requests there are expected (and refused here).
IMAGE_HOST = "img.invalid"
# Any request to this host means something loaded that the notes never named as an image.
TRAP_HOST = "trap.invalid"

_JS = "alert(1)"
_IMG = f"https://{IMAGE_HOST}/x.png"
_TRAP = f"https://{TRAP_HOST}/t"

# Each runs a script, makes a request or opens a page when a browser renders it raw.
BASE: tuple[str, ...] = (
    # script elements, plain and disguised
    f"<script>{_JS}</script>",
    f"<SCRIPT SRC={_TRAP}.js></SCRIPT>",
    f"<script>/*</script><svg onload={_JS}>*/</script>",
    f"<scr<script>ipt>{_JS}</scr</script>ipt>",
    f"<<script>{_JS};//<</script>",
    f"<script\x0c>{_JS}</script>",
    f"<script/x>{_JS}</script>",
    # images and media with handlers
    f"<img src=x onerror={_JS}>",
    f'<img src="x" onerror="{_JS}">',
    f"<img src='x' onerror='{_JS}'>",
    f"<img src=x onerror=`{_JS}`>",
    f"<img/src/onerror={_JS}>",
    f"<img src=x:y onerror={_JS}//",
    f'<img src="{_IMG}" onload="{_JS}">',
    f'<IMG SRC="x" ONERROR="{_JS}">',
    '<img src=x onerror="&#97;lert(1)">',
    "<img src=x onerror=\\u0061lert(1)>",
    f'<img srcset="{_TRAP} 1x" onerror="{_JS}">',
    f'<img src="x" alt="" onerror="{_JS}"/>',
    f'<image src=x onerror="{_JS}">',
    f'<video><source onerror="{_JS}"></video>',
    f'<video src=x onerror="{_JS}"></video>',
    f'<audio src=x onerror="{_JS}">',
    f'<video poster="javascript:{_JS}"></video>',
    f'<picture><source srcset="{_TRAP}"><img src=x></picture>',
    # elements that act on load, focus or toggle
    f'<body onload="{_JS}">',
    f'<svg onload="{_JS}">',
    f"<svg><script>{_JS}</script></svg>",
    f'<svg><animate onbegin="{_JS}" attributeName=x dur=1s>',
    f'<svg><a xlink:href="javascript:{_JS}"><text x=20 y=20>tap</text></a></svg>',
    f'<svg><set attributeName=href to="javascript:{_JS}"/></svg>',
    f'<svg><image href="{_TRAP}.svg"/></svg>',
    f'<math><maction actiontype="statusline" xlink:href="javascript:{_JS}">tap</maction></math>',
    f'<math href="javascript:{_JS}">tap</math>',
    f'<input autofocus onfocus="{_JS}">',
    f'<select autofocus onfocus="{_JS}">',
    f'<textarea autofocus onfocus="{_JS}">',
    f'<details open ontoggle="{_JS}">',
    f'<marquee onstart="{_JS}">x</marquee>',
    f'<div onmouseover="{_JS}">hover</div>',
    f'<span style="x" onclick="{_JS}">tap</span>',
    f'<b onpointerenter="{_JS}">x</b>',
    f'<a onfocus="{_JS}" autofocus href="">x</a>',
    f'<keygen autofocus onfocus="{_JS}">',
    # frames, objects and pages
    f'<iframe src="javascript:{_JS}"></iframe>',
    f'<iframe srcdoc="<script>{_JS}</script>"></iframe>',
    f'<iframe src="{_TRAP}"></iframe>',
    f'<object data="javascript:{_JS}"></object>',
    '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>',
    '<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    f'<embed src="{_TRAP}.swf">',
    f'<form action="javascript:{_JS}"><button>go</button></form>',
    f'<button formaction="javascript:{_JS}">go</button>',
    f'<isindex action="javascript:{_JS}" type=image>',
    f'<meta http-equiv="refresh" content="0;url=javascript:{_JS}">',
    f'<base href="javascript:{_JS}//">',
    f'<link rel="stylesheet" href="{_TRAP}.css">',
    f'<link rel="import" href="{_TRAP}.html">',
    f'<portal src="{_TRAP}"></portal>',
    # links and their URL disguises
    f'<a href="javascript:{_JS}">tap</a>',
    f'<a href="JaVaScRiPt:{_JS}">tap</a>',
    f'<a href=" javascript:{_JS}">tap</a>',
    f'<a href="java\tscript:{_JS}">tap</a>',
    f'<a href="java&#x09;script:{_JS}">tap</a>',
    f'<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;{_JS}">tap</a>',
    f'<a href="&#x6A;avascript&colon;{_JS}">tap</a>',
    f'<a href="javascript&#0000058;{_JS}">tap</a>',
    f'<a href="\x01javascript:{_JS}">tap</a>',
    '<a href="vbscript:msgbox(1)">tap</a>',
    f'<a href="data:text/html,<script>{_JS}</script>">tap</a>',
    f'<a href="{_TRAP}" ping="{_TRAP}/ping">tap</a>',
    f"[tap](javascript:{_JS})",
    f"[tap](JAVASCRIPT:{_JS})",
    f"[tap](<javascript:{_JS}>)",
    f"[tap](javascript&#58;{_JS})",
    "[tap](vbscript:msgbox(1))",
    "[tap](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    f"<javascript:{_JS}>",
    f"![x](javascript:{_JS})",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    f'![x]({_IMG} "t\\" onerror=\\"{_JS}")',
    f"![x]({_IMG})<img src=x onerror={_JS}>",
    f"[tap][ref]\n\n[ref]: javascript:{_JS}",
    # style: url(), expression, imports
    f'<div style="background:url({_TRAP}/bg)">x</div>',
    f'<div style="width: expression({_JS})">x</div>',
    f"<style>@import url({_TRAP}/i.css);</style>",
    f"<style>*{{background:url({_TRAP}/s)}}</style>",
    f'<p style="behavior:url({_TRAP}.htc)">x</p>',
    f'<table background="{_TRAP}/tb"><tr><td>x</td></tr></table>',
    # parser confusion: comments, CDATA, raw text elements, namespaces
    f"<!--<img src=x onerror={_JS}>-->",
    f"<!--><img src=x onerror={_JS}>-->",
    f"<![CDATA[><img src=x onerror={_JS}>]]>",
    f"<?xml version=1?><img src=x onerror={_JS}>",
    f'<noscript><p title="</noscript><img src=x onerror={_JS}>"></noscript>',
    f'<svg></p><style><a id="</style><img src=1 onerror={_JS}>">',
    f"<math><mtext><table><mglyph><style><img src=x onerror={_JS}>",
    f'<title><img src="</title><img src=x onerror={_JS}>">',
    f'<textarea></textarea><img src=x onerror="{_JS}">',
    f'<template><img src=x onerror="{_JS}"></template>',
    f'<select><option><img src=x onerror="{_JS}"></option></select>',
    f'<table><tr><td>x</td></tr><img src=x onerror="{_JS}"></table>',
    f"<img src=x onerror={_JS}\x00>",
    f"<scr\x00ipt>{_JS}</scr\x00ipt>",
    f"<img\nsrc=x\nonerror={_JS}>",
    f'<img src="x"\ronerror="{_JS}">',
    f'<a href="x" onmouseover="{_JS}"',
    f'"><img src=x onerror={_JS}>',
    f"'><svg onload={_JS}>",
    f"</textarea><script>{_JS}</script>",
    f"</title><script>{_JS}</script>",
    # text that must stay text
    f"&lt;script&gt;{_JS}&lt;/script&gt;",
    f"&amp;lt;img src=x onerror={_JS}&amp;gt;",
    f"\\<script>{_JS}</script>",
    f"`<img src=x onerror={_JS}>`",
    # Anki's own syntax: cloze gaps and hints, sound, formulas
    f'{{{{c1::x::" onmouseover="{_JS}}}}}',
    '<a href="https://x.invalid/{{c1::y::z}}">tap</a> {{c2::w}}',
    f'<img src="{_IMG}" alt="::}}}}">{{{{c1::k}}}}',
    f'[{{{{c1::x}}}}](https://x.invalid/"{{{{c2::y}}}}) onmouseover="{_JS}")',
    "[sound:x.mp3]",
    f"$\\href{{javascript:{_JS}}}{{tap}}$",
    f"\\(\\href{{javascript:{_JS}}}{{tap}}\\)",
    f"\\[\\style{{background:url({_TRAP}/m)}}{{x}}\\]",
    "$\\require{../../../../n2a-x}$",
    f"$\\hr<wbr>ef{{javascript:{_JS}}}{{x}}$",
    f"\\(\\class{{x}}{{y}} \\cssId{{qa}}{{z}} \\href{{{_TRAP}}}{{w}}\\)",
)

# The family that composes with markup once Anki normalizes: U+0338 joins ">" into "≯" (and "<",
# "=" into "≮", "≠"), also when other marks stand between and NFC puts them in order.
_SOLIDUS = "\u0338"
MARK_RUNS: tuple[str, ...] = (
    _SOLIDUS,
    "\u0327\u0338",
    "\u0301\u0338",
    "\u0338\u0338",
    "\u0334\u0338",
    "\u0338\u0301",
)

COMPOSING: tuple[str, ...] = (
    f'<<img src="{_IMG}">{_SOLIDUS}" onerror="{_JS}" x=">',
    f'<a href="https://x.invalid/">{_SOLIDUS}" onmouseover="{_JS}" x=">tap</a>',
    f'![x]({_IMG}){_SOLIDUS}" onerror="{_JS}" x="',
    f'[{_SOLIDUS}" onmouseover="{_JS}" x="](https://x.invalid/)',
    f'**b**{_SOLIDUS}" onmouseover="{_JS}" x="',
    f"`c`{_SOLIDUS}<img src=x onerror={_JS}>",
    f"<b>x</b>{_SOLIDUS} onmouseover={_JS}",
    f'<img src=x alt="{_SOLIDUS}" title=">{_SOLIDUS} onerror={_JS}">',
    f"<a href=x>{_SOLIDUS}</a>{_SOLIDUS}<img src=x onerror={_JS}>",
    f'<br>{_SOLIDUS}" onmouseover="{_JS}"',
    f"x<{_SOLIDUS}img src=x onerror={_JS}>",
    f'x={_SOLIDUS}"<img src=x onerror={_JS}>"',
    *(f'<<img src="{_IMG}">{run}" onerror="{_JS}" x=">' for run in MARK_RUNS[1:]),
    *(f'![x]({_IMG}){run}" onerror="{_JS}" x="' for run in MARK_RUNS[1:]),
)

# Ways of writing the same text: each normalization form, invisible and direction marks, the
# solidus after every ">".
_DISGUISES: tuple[Callable[[str], str], ...] = (
    lambda text: unicodedata.normalize("NFD", text),
    lambda text: unicodedata.normalize("NFKC", text),
    lambda text: unicodedata.normalize("NFKD", text),
    lambda text: text.replace("script", "scr\u200bipt").replace("javascript", "java\u200dscript"),
    lambda text: "\u202e" + text + "\u202c",
    lambda text: text.replace(">", ">" + _SOLIDUS),
    lambda text: text.replace("<", "\uff1c").replace(">", "\uff1e"),
    lambda text: text.replace("=", "=" + _SOLIDUS, 1),
)


def payloads(sample: int = 1) -> tuple[str, ...]:
    """Return every payload, and every sample-th of the plain shapes in each of its disguises."""
    found = dict.fromkeys((*BASE, *COMPOSING))
    for text in BASE[::sample]:
        for disguise in _DISGUISES:
            found.setdefault(disguise(text))
    return tuple(found)
