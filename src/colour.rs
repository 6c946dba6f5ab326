//! Colour contrast as WCAG 2 defines it, for the ente's colour.
//!
//! The theme writes white text on the ente's colour (header band, buttons); a colour that gives
//! less than 4.5:1 against white fails WCAG 1.4.3 (AA) and is a build error. This module only
//! computes; validation decides what to report.

/// A colour parsed from `#RRGGBB`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rgb {
    pub r: u8,
    pub g: u8,
    pub b: u8,
}

/// The AA threshold for normal-size text.
pub(crate) const AA_NORMAL_TEXT: f64 = 4.5;

pub(crate) const WHITE: Rgb = Rgb {
    r: 255,
    g: 255,
    b: 255,
};

impl Rgb {
    pub(crate) fn parse_hex(text: &str) -> Option<Rgb> {
        let hex = text.strip_prefix('#')?;
        if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |range: std::ops::Range<usize>| u8::from_str_radix(&hex[range], 16).ok();
        Some(Rgb {
            r: channel(0..2)?,
            g: channel(2..4)?,
            b: channel(4..6)?,
        })
    }

    pub(crate) fn hex(&self) -> String {
        format!("#{:02X}{:02X}{:02X}", self.r, self.g, self.b)
    }

    /// Relative luminance (WCAG 2.x definition).
    pub(crate) fn luminance(&self) -> f64 {
        let linear = |channel: u8| {
            let c = f64::from(channel) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(self.r) + 0.7152 * linear(self.g) + 0.0722 * linear(self.b)
    }
}

/// Contrast ratio between two colours, from 1 to 21.
pub(crate) fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    let (light, dark) = if la > lb { (la, lb) } else { (lb, la) };
    (light + 0.05) / (dark + 0.05)
}

/// The lightest darker shade of `colour` (same hue, channels scaled down) that reaches `target`
/// against white; what to suggest when the ente's colour is too light.
pub(crate) fn darken_until(colour: Rgb, target: f64) -> Rgb {
    let mut best = Rgb { r: 0, g: 0, b: 0 };
    for step in (0..=100).rev() {
        let factor = f64::from(step) / 100.0;
        let scale = |channel: u8| (f64::from(channel) * factor).floor() as u8;
        let candidate = Rgb {
            r: scale(colour.r),
            g: scale(colour.g),
            b: scale(colour.b),
        };
        if contrast(candidate, WHITE) >= target {
            best = candidate;
            break;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_ratios() {
        let blue = Rgb::parse_hex("#0066CC").unwrap();
        let ratio = contrast(blue, WHITE);
        assert!((ratio - 5.57).abs() < 0.01, "{ratio}");
        assert!((contrast(Rgb::parse_hex("#000000").unwrap(), WHITE) - 21.0).abs() < 1e-9);
        let light = Rgb::parse_hex("#66B2FF").unwrap();
        assert!(contrast(light, WHITE) < AA_NORMAL_TEXT);
        let suggestion = darken_until(light, AA_NORMAL_TEXT);
        assert!(contrast(suggestion, WHITE) >= AA_NORMAL_TEXT);
        assert_eq!(suggestion.hex().len(), 7);
        assert!(Rgb::parse_hex("#12345").is_none());
    }
}
