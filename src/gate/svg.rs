//! An SVG file read as a browser reads `image/svg+xml`: as XML (roxmltree), namespaces resolved.
//! Only plain drawing passes: no DTD and so no entities (roxmltree refuses a DTD), elements and
//! attributes of an allowlist in the SVG namespace (and `xlink:href`, `xml:space`, `xml:lang`),
//! links only to fragments of the same document.

/// The SVG namespace.
const SVG: &str = "http://www.w3.org/2000/svg";
/// The XLink namespace (`xlink:href`).
const XLINK: &str = "http://www.w3.org/1999/xlink";
/// The XML namespace (`xml:space`, `xml:lang`).
const XML: &str = "http://www.w3.org/XML/1998/namespace";

/// SVG elements that draw, group, define paint or describe: no `script`, `foreignObject`, `a`,
/// `image`, `iframe`, animation (`set`/`animate` can rewrite an `href`) or `style` (its CSS could
/// load what the attributes may not).
const ELEMENTS: &[&str] = &[
    "svg",
    "g",
    "defs",
    "symbol",
    "use",
    "title",
    "desc",
    "metadata",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "textPath",
    "linearGradient",
    "radialGradient",
    "stop",
    "pattern",
    "clipPath",
    "mask",
    "marker",
    "filter",
    "feBlend",
    "feColorMatrix",
    "feComponentTransfer",
    "feComposite",
    "feFlood",
    "feGaussianBlur",
    "feMerge",
    "feMergeNode",
    "feMorphology",
    "feOffset",
    "feFuncA",
    "feFuncB",
    "feFuncG",
    "feFuncR",
];

/// Presentation and geometry attributes without a namespace.
const ATTRIBUTES: &[&str] = &[
    "id",
    "class",
    "version",
    "baseProfile",
    "viewBox",
    "preserveAspectRatio",
    "width",
    "height",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "fx",
    "fy",
    "d",
    "points",
    "transform",
    "fill",
    "fill-opacity",
    "fill-rule",
    "stroke",
    "stroke-width",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-miterlimit",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-opacity",
    "opacity",
    "color",
    "display",
    "visibility",
    "overflow",
    "clip-path",
    "clip-rule",
    "mask",
    "filter",
    "font-family",
    "font-size",
    "font-style",
    "font-weight",
    "text-anchor",
    "dominant-baseline",
    "letter-spacing",
    "word-spacing",
    "dx",
    "dy",
    "rotate",
    "textLength",
    "lengthAdjust",
    "offset",
    "stop-color",
    "stop-opacity",
    "gradientUnits",
    "gradientTransform",
    "spreadMethod",
    "patternUnits",
    "patternContentUnits",
    "patternTransform",
    "clipPathUnits",
    "maskUnits",
    "maskContentUnits",
    "markerWidth",
    "markerHeight",
    "markerUnits",
    "refX",
    "refY",
    "orient",
    "marker-start",
    "marker-mid",
    "marker-end",
    "filterUnits",
    "primitiveUnits",
    "in",
    "in2",
    "result",
    "stdDeviation",
    "mode",
    "type",
    "values",
    "operator",
    "k1",
    "k2",
    "k3",
    "k4",
    "flood-color",
    "flood-opacity",
    "radius",
    "tableValues",
    "slope",
    "intercept",
    "amplitude",
    "exponent",
    "vector-effect",
    "shape-rendering",
    "image-rendering",
    "color-interpolation-filters",
    "role",
    "aria-label",
    "aria-hidden",
    "aria-labelledby",
    "aria-describedby",
    "focusable",
    "lang",
    "href",
    "style",
    "isolation",
    "mix-blend-mode",
    "paint-order",
    "pathLength",
    "startOffset",
    "method",
    "spacing",
];

/// What is wrong with an SVG file: a message and the byte offset it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SvgProblem {
    pub(crate) message: String,
    pub(crate) offset: usize,
}

/// Checks an SVG file; `None` when it passes.
pub(crate) fn check(text: &str) -> Option<SvgProblem> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..roxmltree::ParsingOptions::default()
    };
    let document = match roxmltree::Document::parse_with_options(text, options) {
        Ok(document) => document,
        Err(error) => {
            let position = error.pos();
            let offset = crate::source::offset_of(text, position.row, position.col);
            let message = match error {
                roxmltree::Error::DtdDetected => {
                    "l'SVG ha una dichiarazione DOCTYPE (DTD): le entità che definisce possono nascondere uno script".to_string()
                }
                other => format!("l'SVG non è XML valido: {other}"),
            };
            return Some(SvgProblem { message, offset });
        }
    };
    let root = document.root_element();
    if root.tag_name().namespace() != Some(SVG) || root.tag_name().name() != "svg" {
        return Some(SvgProblem {
            message:
                "il file non è un'immagine SVG: manca <svg xmlns=\"http://www.w3.org/2000/svg\">"
                    .to_string(),
            offset: root.range().start,
        });
    }
    for node in root.descendants() {
        if node.is_pi() {
            return Some(SvgProblem {
                message: "istruzione di elaborazione <?…?> non ammessa in un SVG".to_string(),
                offset: node.range().start,
            });
        }
        if !node.is_element() {
            continue;
        }
        if let Some(problem) = element_problem(&node) {
            return Some(problem);
        }
    }
    None
}

fn element_problem(node: &roxmltree::Node<'_, '_>) -> Option<SvgProblem> {
    let tag = node.tag_name();
    let at = node.range().start;
    if tag.namespace() != Some(SVG) {
        return Some(SvgProblem {
            message: format!(
                "elemento <{}> di un altro spazio dei nomi ({}) non ammesso in un SVG",
                tag.name(),
                tag.namespace().unwrap_or("nessuno")
            ),
            offset: at,
        });
    }
    if !ELEMENTS.contains(&tag.name()) {
        return Some(SvgProblem {
            message: format!("elemento <{}> non ammesso in un SVG pubblicato", tag.name()),
            offset: at,
        });
    }
    for attribute in node.attributes() {
        let name = attribute.name();
        let offset = attribute.range().start;
        let allowed = match attribute.namespace() {
            None => ATTRIBUTES.contains(&name),
            Some(XLINK) => name == "href",
            Some(XML) => name == "space" || name == "lang",
            Some(_) => false,
        };
        if !allowed || name.to_ascii_lowercase().starts_with("on") {
            return Some(SvgProblem {
                message: format!("attributo `{name}` non ammesso su <{}>", tag.name()),
                offset,
            });
        }
        if name == "href" && !attribute.value().trim().starts_with('#') {
            return Some(SvgProblem {
                message: format!(
                    "riferimento esterno `{}`: un SVG pubblicato può rimandare solo a parti di sé stesso (#id)",
                    attribute.value()
                ),
                offset,
            });
        }
        if name == "style" || attribute.value().contains("url(") {
            let external = crate::css::urls(attribute.value())
                .into_iter()
                .find(|url| !url.trim().starts_with('#'));
            if let Some(url) = external {
                return Some(SvgProblem {
                    message: format!("riferimento esterno `{url}` nel CSS di <{}>", tag.name()),
                    offset,
                });
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const NS: &str = "xmlns=\"http://www.w3.org/2000/svg\"";

    #[test]
    fn a_plain_drawing_passes() {
        let svg = format!(
            "<?xml version=\"1.0\"?>\n<svg {NS} xmlns:xlink=\"http://www.w3.org/1999/xlink\" viewBox=\"0 0 2 2\"><title>Stemma</title><defs><linearGradient id=\"g\"><stop offset=\"0\" stop-color=\"#fff\"/></linearGradient></defs><path d=\"M0 0h1v1z\" fill=\"url(#g)\"/><use xlink:href=\"#g\"/></svg>"
        );
        assert_eq!(check(&svg), None);
    }

    #[test]
    fn what_a_browser_would_run_is_refused() {
        let refused = [
            format!("<svg {NS}><script>alert(1)</script></svg>"),
            format!(
                "<svg {NS} xmlns:s=\"http://www.w3.org/2000/svg\"><s:script>alert(1)</s:script></svg>"
            ),
            format!(
                "<svg {NS} xmlns:h=\"http://www.w3.org/1999/xhtml\"><h:script>alert(1)</h:script></svg>"
            ),
            format!(
                "<!DOCTYPE svg [<!ENTITY x \"&#60;script&#62;alert(1)&#60;/script&#62;\">]><svg {NS}>&x;</svg>"
            ),
            format!("<svg {NS} onload=\"alert(1)\"/>"),
            format!("<svg {NS}><a href=\"javascript:alert(1)\"><rect/></a></svg>"),
            format!("<svg {NS}><use href=\"https://evil.example/x.svg#a\"/></svg>"),
            format!("<svg {NS}><foreignObject/></svg>"),
            format!("<svg {NS}><rect style=\"fill:url(https://t.example/p)\"/></svg>"),
            format!("<svg {NS}><set attributeName=\"href\" to=\"javascript:a()\"/></svg>"),
            "<html><body>no</body></html>".to_string(),
            "not xml".to_string(),
        ];
        for svg in refused {
            assert!(check(&svg).is_some(), "{svg}");
        }
    }
}
