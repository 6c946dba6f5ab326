//! schema.org metadata for the pages, as JSON-LD: the ente as a `GovernmentOrganization` with its
//! `ContactPoint`s (one per process of the contacts) and its office as a department (with, when
//! the charter gives opening hours, the `Place`s and their `openingHoursSpecification`), and each
//! commitment as a `GovernmentService` with its audience and its standards as description.
//!
//! Built from the model with `serde_json`; URLs are absolute (from `base_url`). The text is made safe
//! to sit inside `<script type="application/ld+json">`: `<`, `>` and `&` are written as JSON escapes.

use serde_json::{Value, json};

use crate::model::{Address, Hours, Project};
use crate::standards;
use crate::strings::{HourWords, StandardWords};

/// The whole graph for the home page and the commitments page; `commitments_url` is the page where
/// each commitment has its row (`/impegni/`).
pub(crate) fn charter_graph(
    project: &Project,
    words: &StandardWords,
    hour_words: &HourWords,
    commitments_url: &str,
) -> String {
    let config = &project.config;
    let site = &config.site;
    let ente_id = site.absolute_url("/#ente");
    let office_id = site.absolute_url("/#ufficio");
    let ente = ente_node(project, &ente_id, &office_id);
    let office = office_node(project, &ente_id, &office_id, hour_words);
    let mut graph = vec![ente, office];
    for commitment in &project.commitments.data.commitments {
        let description: Vec<String> = commitment
            .standards
            .iter()
            .map(|standard| standards::sentence(standard, words))
            .collect();
        let mut service = json!({
            "@type": "GovernmentService",
            "@id": site.absolute_url(&format!("{commitments_url}#impegno-{}", commitment.id.value)),
            "name": commitment.service,
            "description": description.join("; "),
            "provider": { "@id": office_id },
            "serviceOperator": { "@id": ente_id },
            "areaServed": config.ente.city,
        });
        // Users the charter does not name are not described either.
        if !commitment.users().is_empty() {
            service["audience"] = commitment
                .users()
                .iter()
                .map(|user| json!({ "@type": "Audience", "audienceType": user }))
                .collect();
        }
        graph.push(service);
    }
    script_safe(&json!({ "@context": "https://schema.org", "@graph": graph }))
}

/// The ente, with the contact points of the charter's processes.
fn ente_node(project: &Project, ente_id: &str, office_id: &str) -> Value {
    let config = &project.config;
    let contacts = &project.contacts.data;
    let contact_points: Vec<Value> = contacts
        .processes
        .iter()
        .map(|process| {
            let emails: Vec<&str> = process
                .emails
                .value
                .iter()
                .map(|e| e.value.as_str())
                .collect();
            json!({
                "@type": "ContactPoint",
                "contactType": process.process,
                "description": process.competences,
                "email": if emails.len() == 1 { json!(emails[0]) } else { json!(emails) },
                "availableLanguage": "it",
            })
        })
        .collect();
    let mut ente = json!({
        "@type": "GovernmentOrganization",
        "@id": ente_id,
        "name": config.ente.name,
        "parentOrganization": {
            "@type": "GovernmentOrganization",
            "name": config.ente.parent.name,
        },
        "contactPoint": contact_points,
        "department": { "@id": office_id },
    });
    // An ente or a parent body whose site the charter does not give has no URL here either.
    if let Some(url) = &config.ente.url {
        ente["url"] = json!(url);
    }
    if let Some(url) = &config.ente.parent.url {
        ente["parentOrganization"]["url"] = json!(url);
    }
    if let Some(code) = &config.ente.ipa_code {
        ente["identifier"] = json!({
            "@type": "PropertyValue",
            "propertyID": "IPA",
            "value": code,
        });
    }
    ente
}

/// The office that publishes the charter: address, email, phones and the places with hours.
fn office_node(project: &Project, ente_id: &str, office_id: &str, words: &HourWords) -> Value {
    let organization = &project.organization.data;
    let contacts = &project.contacts.data;
    let direction = &organization.direction;
    let mut office = json!({
        "@type": "GovernmentOrganization",
        "@id": office_id,
        "name": project.charter.data.office,
        "parentOrganization": { "@id": ente_id },
    });
    // A charter that gives no office address has none here either.
    if let Some(address) = &contacts.address {
        office["address"] = postal_address(address);
    }
    if let Some(email) = &direction.email {
        office["email"] = json!(email.value);
    }
    if !contacts.phones.is_empty() {
        let phones: Vec<&str> = contacts.phones.iter().map(|p| p.value.as_str()).collect();
        office["telephone"] = json!(phones);
    }
    // Opening hours belong to places: the office's own (with its address, when the charter gives
    // one) and each other contact that has hours, with its label and address.
    let mut places = Vec::new();
    if let Some(hours) = contacts.hours.as_ref().filter(|hours| !hours.is_empty()) {
        places.push(place(
            Some(&project.charter.data.office),
            contacts.address.as_ref(),
            hours,
            words,
        ));
    }
    for other in &contacts.other {
        if let Some(hours) = other.hours.as_ref().filter(|hours| !hours.is_empty()) {
            places.push(place(
                other.label.as_ref(),
                other.address.as_ref(),
                hours,
                words,
            ));
        }
    }
    if !places.is_empty() {
        office["location"] = json!(places);
    }
    office
}

/// A schema.org `Place` with its `openingHoursSpecification`.
fn place(
    name: Option<&String>,
    address: Option<&Address>,
    hours: &Hours,
    words: &HourWords,
) -> Value {
    let mut place = json!({
        "@type": "Place",
        "openingHoursSpecification": crate::hours::schema_org(hours, words),
    });
    if let Some(name) = name {
        place["name"] = json!(name);
    }
    if let Some(address) = address {
        place["address"] = postal_address(address);
    }
    // An office that receives only by appointment says so first, then the note.
    let description: Vec<&str> = hours
        .by_appointment
        .then_some(words.appointment_only.as_str())
        .into_iter()
        .chain(hours.note.as_ref().map(|note| note.as_str()))
        .collect();
    if !description.is_empty() {
        place["description"] = json!(description.join(" "));
    }
    place
}

fn postal_address(address: &Address) -> Value {
    json!({
        "@type": "PostalAddress",
        "streetAddress": address.street,
        "postalCode": address.postcode,
        "addressLocality": address.city,
        "addressCountry": "IT",
    })
}

/// Serialises for a `<script>` element: `</script>` can never appear in the output.
pub(crate) fn script_safe(value: &Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_safe_escapes_markup() {
        let text = script_safe(&json!({ "name": "</script><b>A & B</b>" }));
        assert!(
            !text.contains('<') && !text.contains('>') && !text.contains('&'),
            "{text}"
        );
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["name"], "</script><b>A & B</b>");
    }
}
