"""The report as data (sections of paragraphs, tables, code and figures) and its Markdown/HTML renderings.

Both renderings are self-contained: figures are embedded as base64 (PNG in Markdown,
SVG in HTML), and the HTML carries its own style sheet.
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass, field
from typing import Union

import pandas as pd
from matplotlib.figure import Figure

from lawfind.export._tables import format_number
from lawfind.report._style import figure_bytes

__all__ = ["Paragraph", "Table", "Code", "FigureBlock", "Section", "Report", "markdown_escape"]


@dataclass(frozen=True)
class Paragraph:
    """Plain text (escaped by each renderer)."""

    text: str


@dataclass(frozen=True)
class Table:
    """A DataFrame with a caption; numbers are shown with 4 significant digits."""

    frame: pd.DataFrame
    caption: str = ""


@dataclass(frozen=True)
class Code:
    """Verbatim text: equations in lawfind's text syntax, LaTeX source."""

    text: str
    language: str = ""


@dataclass(frozen=True)
class FigureBlock:
    """A matplotlib figure and its caption; ``name`` is the file stem when figures are saved."""

    name: str
    figure: Figure
    caption: str = ""


Block = Union[Paragraph, Table, Code, FigureBlock]


@dataclass(frozen=True)
class Section:
    """A titled list of blocks."""

    title: str
    blocks: tuple[Block, ...]


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|])")


def markdown_escape(text: str) -> str:
    """Escape Markdown's special characters in plain text."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def _cell(value: object) -> str:
    return format_number(value.item() if hasattr(value, "item") else value)


def _base64(figure: Figure, fmt: str) -> str:
    return base64.b64encode(figure_bytes(figure, fmt)).decode("ascii")


@dataclass
class Report:
    """A report: a title and sections; :meth:`to_markdown` and :meth:`to_html` render it.

    Attributes
    ----------
    title : str
    sections : list of Section
    """

    title: str
    sections: list[Section] = field(default_factory=list)

    @property
    def figures(self) -> dict[str, Figure]:
        """Every figure of the report by name (e.g. to save them as PDF, SVG and PNG)."""
        return {b.name: b.figure for s in self.sections for b in s.blocks if isinstance(b, FigureBlock)}

    def section(self, title: str) -> Section:
        """The section called ``title``."""
        for section in self.sections:
            if section.title == title:
                return section
        raise KeyError(f"no section {title!r}; sections: {[s.title for s in self.sections]}")

    # ----------------------------------------------------------------- Markdown
    def to_markdown(self) -> str:
        """GitHub-flavoured Markdown with PNG figures embedded as data URIs."""
        out = [f"# {markdown_escape(self.title)}", ""]
        for section in self.sections:
            out += [f"## {markdown_escape(section.title)}", ""]
            for block in section.blocks:
                out += self._markdown_block(block) + [""]
        return "\n".join(out).rstrip() + "\n"

    def _markdown_block(self, block: Block) -> list[str]:
        if isinstance(block, Paragraph):
            return [markdown_escape(block.text)]
        if isinstance(block, Code):
            fence = "~~~~" if "```" in block.text else "```"
            return [fence + block.language, block.text.rstrip("\n"), fence]
        if isinstance(block, Table):
            columns = [markdown_escape(str(c)) for c in block.frame.columns]
            lines = [f"*{markdown_escape(block.caption)}*", ""] if block.caption else []
            lines += ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
            for row in block.frame.itertuples(index=False):
                cells = [markdown_escape(_cell(v)).replace("\n", " ") for v in row]
                lines.append("| " + " | ".join(cells) + " |")
            return lines
        caption = markdown_escape(block.caption or block.name)
        return [f"![{caption}](data:image/png;base64,{_base64(block.figure, 'png')})", "", f"*{caption}*"]

    # ----------------------------------------------------------------- HTML
    def to_html(self) -> str:
        """One self-contained HTML page (inline CSS, SVG figures as data URIs, no scripts)."""
        body = [f"<h1>{html.escape(self.title)}</h1>"]
        for section in self.sections:
            body.append(f"<section><h2>{html.escape(section.title)}</h2>")
            body += [self._html_block(block) for block in section.blocks]
            body.append("</section>")
        return (
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html.escape(self.title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n"
        )

    def _html_block(self, block: Block) -> str:
        if isinstance(block, Paragraph):
            return f"<p>{html.escape(block.text)}</p>"
        if isinstance(block, Code):
            return f"<pre><code>{html.escape(block.text.rstrip())}</code></pre>"
        if isinstance(block, Table):
            head = "".join(f"<th>{html.escape(str(c))}</th>" for c in block.frame.columns)
            rows = "".join(
                "<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row) + "</tr>"
                for row in block.frame.itertuples(index=False)
            )
            caption = f"<caption>{html.escape(block.caption)}</caption>" if block.caption else ""
            return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
        caption = html.escape(block.caption or block.name)
        return (f'<figure><img alt="{caption}" src="data:image/svg+xml;base64,{_base64(block.figure, "svg")}">'
                f"<figcaption>{caption}</figcaption></figure>")


_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
pre { background: #f6f8fa; padding: .6rem .8rem; overflow-x: auto; }
table { border-collapse: collapse; margin: .8rem 0; font-size: .9rem; }
caption { caption-side: top; text-align: left; font-style: italic; padding-bottom: .3rem; }
thead th { border-top: 2px solid #222; border-bottom: 1px solid #222; }
tbody tr:last-child td { border-bottom: 2px solid #222; }
th, td { padding: .25rem .6rem; text-align: left; }
figure { margin: 1rem 0; } figure img { max-width: 100%; height: auto; }
figcaption { font-size: .9rem; color: #444; }
"""
