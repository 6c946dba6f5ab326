"""Reads a PDF with pikepdf and prints, as JSON, what the PDF tests check.

Usage: python3 inspect_pdf.py FILE.pdf

Printed keys: pages, outline (title, level, page: 1-based page of its destination), tagged
(StructTreeRoot present), marked (MarkInfo/Marked), lang, display_doc_title, info (document
information dictionary), pdfua_part (pdfuaid:part in the XMP metadata), structure (counts of the
structure element types), fonts_embedded (every font has a font file), figures (every Figure
structure element in document order: its /Alt, and the rows and cells of the last Table
structure element before it, if any).
"""

import json
import sys

import pikepdf


def page_number(pdf, destination):
    """1-based page of an outline item's destination, or None."""
    if destination is None:
        return None
    if isinstance(destination, (pikepdf.String, pikepdf.Name, str, bytes)):
        names = pdf.Root.get("/Names")
        if names is None or "/Dests" not in names:
            return None
        tree = pikepdf.NameTree(names.Dests)
        destination = tree.get(str(destination))
        if destination is None:
            return None
    if isinstance(destination, pikepdf.Dictionary):
        destination = destination.get("/D")
    target = destination[0]
    for index, page in enumerate(pdf.pages):
        if page.objgen == target.objgen:
            return index + 1
    return None


def outline(pdf):
    entries = []
    with pdf.open_outline() as tree:
        def walk(items, level):
            for item in items:
                destination = item.destination
                if destination is None and item.action is not None:
                    destination = item.action.get("/D")
                entries.append({
                    "title": str(item.title),
                    "level": level,
                    "page": page_number(pdf, destination),
                })
                walk(item.children, level + 1)
        walk(tree.root, 1)
    return entries


def structure_elements(pdf):
    """Every structure element of the tagged PDF once, in document order."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return
    seen = set()
    stack = [root.get("/K")]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(reversed(list(node)))
            continue
        if not isinstance(node, pikepdf.Dictionary):
            continue
        if node.is_indirect:
            if node.objgen in seen:
                continue
            seen.add(node.objgen)
        if kind_of(node) is not None:
            yield node
        stack.append(node.get("/K"))


def structure_counts(pdf):
    counts = {}
    for node in structure_elements(pdf):
        name = kind_of(node)
        counts[name] = counts.get(name, 0) + 1
    return counts


def kind_of(node):
    kind = node.get("/S") if isinstance(node, pikepdf.Dictionary) else None
    return None if kind is None else str(kind)[1:]


def table_shape(table):
    """Rows and cells (TH, TD) of a Table structure element."""
    shape = {"rows": 0, "TH": 0, "TD": 0}
    stack = [table.get("/K")]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
            continue
        kind = kind_of(node)
        if kind == "TR":
            shape["rows"] += 1
        elif kind in ("TH", "TD"):
            shape[kind] += 1
            continue
        if kind is not None:
            stack.append(node.get("/K"))
    return shape


def figures(pdf):
    """Every Figure in document order, with the last Table before it in document order."""
    found = []
    last_table = None
    for node in structure_elements(pdf):
        kind = kind_of(node)
        if kind == "Table":
            last_table = node
        elif kind == "Figure":
            found.append({
                "alt": str(node.Alt) if "/Alt" in node else None,
                "table_before": None if last_table is None else table_shape(last_table),
            })
    return found


def fonts_embedded(pdf):
    for page in pdf.pages:
        resources = page.obj.get("/Resources")
        if resources is None or "/Font" not in resources:
            continue
        for font in resources.Font.values():
            descriptors = []
            if "/FontDescriptor" in font:
                descriptors.append(font.FontDescriptor)
            for descendant in font.get("/DescendantFonts", []):
                if "/FontDescriptor" in descendant:
                    descriptors.append(descendant.FontDescriptor)
            if not descriptors:
                return False
            for descriptor in descriptors:
                if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                    return False
    return True


def main(path):
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        mark_info = root.get("/MarkInfo")
        preferences = root.get("/ViewerPreferences")
        info = {str(key)[1:]: str(value) for key, value in pdf.docinfo.items()}
        # Read only: neither the editor nor the document information may be touched.
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            pdfua_part = xmp.get("pdfuaid:part")
        report = {
            "pages": len(pdf.pages),
            "outline": outline(pdf),
            "tagged": "/StructTreeRoot" in root,
            "marked": bool(mark_info is not None and mark_info.get("/Marked", False)),
            "lang": str(root.Lang) if "/Lang" in root else None,
            "display_doc_title": bool(
                preferences is not None and preferences.get("/DisplayDocTitle", False)
            ),
            "info": info,
            "pdfua_part": pdfua_part,
            "structure": structure_counts(pdf),
            "fonts_embedded": fonts_embedded(pdf),
            "figures": figures(pdf),
        }
    json.dump(report, sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
