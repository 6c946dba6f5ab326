//! Open data: the charter's commitments and standards, contacts and organization as CSV and JSON.
//!
//! CSV follows RFC 4180 (comma separator, CRLF line ends, double quotes around text, UTF-8 without
//! byte order mark) and is written with the `csv` crate; JSON with `serde_json`. Column and field names
//! are Italian and part of the documented schema (`docs/open-data.md`): they are fixed here, not in the
//! theme, so the data keep their shape whatever the site looks like. Numbers use a decimal point.
//! One row of `impegni.csv` per standard; several values in one cell are joined with "; ". Text
//! cells are quoted and no cell or `;`-separated part of one starts a formula.
//!
//! The edition in force is published in the pack's folder, every edition in its own folder too.

use serde::Serialize;

use super::{
    ArtifactKind, ArtifactSpec, Cache, Contents, Facts, Failure, Input, Output, OutputFile, Product,
};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::hours;
use crate::licence::{self, Licence};
use crate::model::{
    Address, Commitment, Commitments, Contacts, Date, Hours, Located, MeasureUnit, Organization,
    Preset, Project, Standard, Unit,
};
use crate::render;
use crate::standards;
use crate::strings::PackWords;
use crate::strings::StandardWords;

/// File names inside the pack folder (and inside an earlier edition's folder).
/// The open data of the charter in force, and of every edition at its stable address.
pub struct OpenData;

impl Output for OpenData {
    fn name(&self) -> &'static str {
        "open data"
    }

    fn make(&self, input: &Input<'_>, _: &mut Cache) -> Result<Product, Failure> {
        let cx = input.cx;
        let (project, strings) = (cx.project, cx.strings);
        let charter = &project.charter.data;
        let folder = &strings.pack.slug;
        let words = Words {
            standards: &strings.standards,
            pack: &strings.pack,
        };
        let failed = |message: String| Failure::Content(pack_failure(message));
        let current = header(project, &charter.edition, charter.last_updated.value);
        let mut files = commitments_files(
            folder,
            &current,
            &project.commitments.data,
            &project.organization.data,
            &words,
        )
        .map_err(failed)?;
        files.extend(
            contacts_and_organization_files(
                folder,
                &current,
                &project.contacts.data,
                &project.organization.data,
            )
            .map_err(failed)?,
        );
        for edition in &cx.timeline {
            files.extend(
                commitments_files(
                    &render::editions::data_folder(strings, &edition.slug),
                    &header(
                        project,
                        &edition.charter.edition,
                        edition.charter.last_updated.value,
                    ),
                    edition.commitments,
                    edition.organization,
                    &words,
                )
                .map_err(failed)?,
            );
        }
        let pack = &strings.pack;
        let listed = [
            (COMMITMENTS_CSV, &pack.artifact_commitments_csv),
            (COMMITMENTS_JSON, &pack.artifact_commitments_json),
            (CONTACTS_CSV, &pack.artifact_contacts_csv),
            (CONTACTS_JSON, &pack.artifact_contacts_json),
            (ORGANIZATION_CSV, &pack.artifact_organization_csv),
            (ORGANIZATION_JSON, &pack.artifact_organization_json),
        ];
        Ok(data_product(
            files,
            folder,
            &listed,
            charter.last_updated.value,
        ))
    }
}

/// The header of every data file: whose data, which edition, when, where from, under which licence.
pub(crate) fn header(project: &Project, edition: &str, updated: Date) -> Header {
    let config = &project.config;
    Header {
        ente: config.ente.name.clone(),
        carta: project.charter.data.title.clone(),
        edizione: edition.to_string(),
        ultimo_aggiornamento: updated.iso(),
        fonte: config.site.base_url_slash(),
        licenza: LicenceInfo::new(licence::of_project(project)),
    }
}

/// A pack that cannot be assembled (`E185`).
pub(crate) fn pack_failure(message: String) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    diagnostics.push(Diagnostic::error(
        "E185",
        format!("impossibile preparare il pacchetto trasparenza: {message}"),
    ));
    diagnostics
}

/// The files in every edition's folder, which its page links.
pub(crate) const EDITION_FILES: [&str; 2] = [COMMITMENTS_CSV, COMMITMENTS_JSON];

pub(crate) const COMMITMENTS_CSV: &str = "impegni.csv";
pub(crate) const COMMITMENTS_JSON: &str = "impegni.json";
pub(crate) const CONTACTS_CSV: &str = "contatti.csv";
pub(crate) const CONTACTS_JSON: &str = "contatti.json";
pub(crate) const ORGANIZATION_CSV: &str = "organizzazione.csv";
pub(crate) const ORGANIZATION_JSON: &str = "organizzazione.json";

/// Separator of several values inside one CSV cell.
pub(crate) const LIST_SEPARATOR: &str = "; ";

/// What every JSON file says about where its data come from.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Header {
    pub(crate) ente: String,
    pub(crate) carta: String,
    pub(crate) edizione: String,
    pub(crate) ultimo_aggiornamento: String,
    pub(crate) fonte: String,
    pub(crate) licenza: LicenceInfo,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct LicenceInfo {
    pub(crate) id: String,
    pub(crate) nome: String,
    pub(crate) url: String,
}

impl LicenceInfo {
    pub(crate) fn new(licence: &Licence) -> Self {
        Self {
            id: licence.id.to_string(),
            nome: licence.name.to_string(),
            url: licence.url.to_string(),
        }
    }
}

/// The words the data need from the theme: standard sentences and indicator labels.
pub(crate) struct Words<'a> {
    pub(crate) standards: &'a StandardWords,
    pub(crate) pack: &'a PackWords,
}

/// `impegni.csv` and `impegni.json` for one edition's commitments, in `folder`.
pub(crate) fn commitments_files(
    folder: &str,
    header: &Header,
    commitments: &Commitments,
    organization: &Organization,
    words: &Words<'_>,
) -> Result<Vec<OutputFile>, String> {
    let json = CommitmentsJson {
        header: header.clone(),
        impegni: commitments
            .commitments
            .iter()
            .enumerate()
            .map(|(index, commitment)| commitment_json(index + 1, commitment, organization, words))
            .collect(),
    };
    let mut rows = Vec::new();
    for item in &json.impegni {
        for standard in &item.standard {
            rows.push(CommitmentRow {
                numero: item.numero,
                id_impegno: &item.id,
                servizio: &item.servizio,
                utenti: item
                    .utenti
                    .as_deref()
                    .unwrap_or_default()
                    .join(LIST_SEPARATOR),
                id_standard: &standard.id,
                stato: standard.stato,
                dimensione: standard.dimensione,
                sottodimensione: standard.sottodimensione.as_deref(),
                indicatore: &standard.indicatore,
                formula: standard.formula.as_deref(),
                tipologia: standard.tipologia,
                tipo_standard: standard.tipo,
                tipo_valore: standard.tipo_valore,
                comparatore: standard.comparatore,
                valore: standard.valore.map(number),
                unita: standard.unita,
                periodo: standard.periodo,
                percentuale_casi: standard.percentuale_casi.map(number),
                base_normativa: standard.base_normativa.as_deref(),
                giorni: standard.giorni.map(|days| days.to_string()),
                disponibilita_percentuale: standard.disponibilita_percentuale.map(number),
                standard: &standard.descrizione,
                nota_standard: standard.nota.as_deref(),
                struttura_responsabile: item
                    .strutture_responsabili
                    .iter()
                    .map(|unit| unit.nome.as_str())
                    .collect::<Vec<_>>()
                    .join(LIST_SEPARATOR),
                id_struttura_responsabile: item
                    .strutture_responsabili
                    .iter()
                    .map(|unit| unit.id.as_str())
                    .collect::<Vec<_>>()
                    .join(LIST_SEPARATOR),
                nota_impegno: item.nota.as_deref(),
            });
        }
    }
    Ok(vec![
        file(folder, COMMITMENTS_CSV, csv_bytes(&rows)?),
        file(folder, COMMITMENTS_JSON, json_bytes(&json)?),
    ])
}

/// What an output of open data makes: its `files`, and those named in `listed` (file name and
/// title, in `folder`) listed for the manifest, the DCAT catalogue and the CMS fragment as data of
/// `date`.
pub(crate) fn data_product(
    files: Vec<OutputFile>,
    folder: &str,
    listed: &[(&str, &String)],
    date: Date,
) -> Product {
    let listed = listed
        .iter()
        .map(|(name, title)| ArtifactSpec {
            path: format!("{folder}/{name}"),
            title: (*title).clone(),
            kind: ArtifactKind::Dati,
            date,
        })
        .collect();
    Product {
        pages: Vec::new(),
        files,
        facts: Facts {
            listed,
            ..Facts::default()
        },
    }
}

/// `contatti.csv`/`.json` and `organizzazione.csv`/`.json`, in `folder`.
pub(crate) fn contacts_and_organization_files(
    folder: &str,
    header: &Header,
    contacts: &Contacts,
    organization: &Organization,
) -> Result<Vec<OutputFile>, String> {
    let (contact_rows, contacts_json) = contacts_data(header, contacts, organization);
    let (unit_rows, organization_json) = organization_data(header, organization);
    Ok(vec![
        file(folder, CONTACTS_CSV, csv_bytes(&contact_rows)?),
        file(folder, CONTACTS_JSON, json_bytes(&contacts_json)?),
        file(folder, ORGANIZATION_CSV, csv_bytes(&unit_rows)?),
        file(folder, ORGANIZATION_JSON, json_bytes(&organization_json)?),
    ])
}

/// A person's name by id, or the id when the organization has no such person.
fn person_name(organization: &Organization, id: &str) -> String {
    organization
        .person(id)
        .map(|person| person.name.clone())
        .unwrap_or_else(|| id.to_string())
}

/// The rows of `contatti.csv` and the document of `contatti.json`.
fn contacts_data(
    header: &Header,
    contacts: &Contacts,
    organization: &Organization,
) -> (Vec<ContactRow>, ContactsJson) {
    let person_name = |id: &str| person_name(organization, id);
    let contacts_json = ContactsJson {
        header: header.clone(),
        processi: contacts
            .processes
            .iter()
            .map(|process| ProcessJson {
                processo: process.process.clone(),
                competenze: process.competences.clone(),
                id_responsabile: process.responsible.value.clone(),
                responsabile: person_name(&process.responsible),
                email: process
                    .emails
                    .value
                    .iter()
                    .map(|e| e.value.clone())
                    .collect(),
            })
            .collect(),
        altri_contatti: contacts
            .other
            .iter()
            .map(|other| OtherJson {
                nome: other.label.clone(),
                descrizione: other.description.clone(),
                email: other.email.as_ref().map(|e| e.value.clone()),
                pec: other.pec.as_ref().map(|e| e.value.clone()),
                telefoni: other.phones.iter().map(|p| p.value.clone()).collect(),
                indirizzo: other.address.as_ref().map(AddressJson::new),
                orari: other.hours.as_ref().and_then(HoursJson::new),
            })
            .collect(),
        telefoni: contacts.phones.iter().map(|p| p.value.clone()).collect(),
        sede: contacts.address.as_ref().map(AddressJson::new),
        orari: contacts.hours.as_ref().and_then(HoursJson::new),
    };
    let mut contact_rows: Vec<ContactRow> = contacts_json
        .processi
        .iter()
        .map(|process| ContactRow {
            tipo: "processo",
            nome: process.processo.clone(),
            descrizione: process.competenze.clone(),
            id_responsabile: process.id_responsabile.clone(),
            responsabile: process.responsabile.clone(),
            email: process.email.join(LIST_SEPARATOR),
            telefono: String::new(),
            pec: String::new(),
            indirizzo: String::new(),
        })
        .collect();
    contact_rows.extend(contacts_json.altri_contatti.iter().map(|other| {
        ContactRow {
            tipo: "altro_contatto",
            nome: other.nome.clone().unwrap_or_default(),
            descrizione: other.descrizione.clone().unwrap_or_default(),
            id_responsabile: String::new(),
            responsabile: String::new(),
            email: other.email.clone().unwrap_or_default(),
            telefono: other.telefoni.join(LIST_SEPARATOR),
            pec: other.pec.clone().unwrap_or_default(),
            indirizzo: other
                .indirizzo
                .as_ref()
                .map(AddressJson::line)
                .unwrap_or_default(),
        }
    }));
    contact_rows.extend(contacts_json.telefoni.iter().map(|phone| ContactRow {
        tipo: "telefono",
        nome: String::new(),
        descrizione: String::new(),
        id_responsabile: String::new(),
        responsabile: String::new(),
        email: String::new(),
        telefono: phone.clone(),
        pec: String::new(),
        indirizzo: String::new(),
    }));
    if let Some(address) = &contacts_json.sede {
        contact_rows.push(ContactRow {
            tipo: "sede",
            nome: String::new(),
            // The address in `descrizione` too, where the first version of the file put it.
            descrizione: address.line(),
            id_responsabile: String::new(),
            responsabile: String::new(),
            email: String::new(),
            telefono: String::new(),
            pec: String::new(),
            indirizzo: address.line(),
        });
    }
    (contact_rows, contacts_json)
}

/// The rows of `organizzazione.csv` and the document of `organizzazione.json`.
fn organization_data(
    header: &Header,
    organization: &Organization,
) -> (Vec<UnitRow>, OrganizationJson) {
    let person_name = |id: &str| person_name(organization, id);
    let unit_json = |unit: &Unit, level: &'static str, parent: Option<&str>| UnitJson {
        id: unit.id.value.clone(),
        livello: level,
        nome: unit.name.clone(),
        id_superiore: parent.map(str::to_string),
        ruolo_responsabile: unit.role.as_ref().map(|role| role.value.clone()),
        id_responsabile: unit.head.as_ref().map(|head| head.value.clone()),
        responsabile: unit.head.as_ref().map(|head| person_name(head)),
        email: unit.email.as_ref().map(|e| e.value.clone()),
        telefoni: unit.phones.iter().map(|p| p.value.clone()).collect(),
        solo_centralino: unit.switchboard,
        referenti: unit
            .staff
            .iter()
            .map(|member| StaffJson {
                id_persona: member.person.value.clone(),
                nome: person_name(&member.person),
                ruolo: member.role.clone(),
            })
            .collect(),
        strutture: Vec::new(),
    };
    let direction = &organization.direction;
    let mut tree = unit_json(direction, "direzione", None);
    tree.strutture = organization
        .services
        .iter()
        .map(|service| {
            let mut node = unit_json(service, "servizio", Some(&direction.id));
            node.strutture = service
                .units
                .iter()
                .map(|unit| unit_json(unit, "ufficio", Some(&service.id)))
                .collect();
            node
        })
        .collect();
    let organization_json = OrganizationJson {
        header: header.clone(),
        persone: organization
            .people
            .iter()
            .map(|person| PersonJson {
                id: person.id.value.clone(),
                nome: person.name.clone(),
                titolo: person.honorific.clone(),
                email: person.email.as_ref().map(|e| e.value.clone()),
                telefono: person.phone.as_ref().map(|p| p.value.clone()),
            })
            .collect(),
        direzione: tree,
    };
    let mut unit_rows = Vec::new();
    let root = &organization_json.direzione;
    unit_rows.push(unit_row(organization, root));
    for service in &root.strutture {
        unit_rows.push(unit_row(organization, service));
        for unit in &service.strutture {
            unit_rows.push(unit_row(organization, unit));
        }
    }
    (unit_rows, organization_json)
}

/// One row of `organizzazione.csv`: a unit with its head's and staff's contacts.
fn unit_row(organization: &Organization, node: &UnitJson) -> UnitRow {
    let person = node
        .id_responsabile
        .as_deref()
        .and_then(|id| organization.person(id));
    UnitRow {
        id: node.id.clone(),
        livello: node.livello,
        nome: node.nome.clone(),
        id_superiore: node.id_superiore.clone().unwrap_or_default(),
        ruolo_responsabile: node.ruolo_responsabile.clone().unwrap_or_default(),
        id_responsabile: node.id_responsabile.clone().unwrap_or_default(),
        responsabile: node.responsabile.clone().unwrap_or_default(),
        email_responsabile: person
            .and_then(|p| p.email.as_ref())
            .map(|e| e.value.clone())
            .unwrap_or_default(),
        telefono_responsabile: person
            .and_then(|p| p.phone.as_ref())
            .map(|p| p.value.clone())
            .unwrap_or_default(),
        email_struttura: node.email.clone().unwrap_or_default(),
        telefoni_struttura: node.telefoni.join(LIST_SEPARATOR),
        solo_centralino: node.solo_centralino,
        id_referenti: node
            .referenti
            .iter()
            .map(|member| member.id_persona.as_str())
            .collect::<Vec<_>>()
            .join(LIST_SEPARATOR),
        referenti: node
            .referenti
            .iter()
            .map(|member| member.nome.as_str())
            .collect::<Vec<_>>()
            .join(LIST_SEPARATOR),
        ruoli_referenti: node
            .referenti
            .iter()
            .map(|member| member.ruolo.as_deref().unwrap_or(""))
            .collect::<Vec<_>>()
            .join(LIST_SEPARATOR),
    }
}

fn commitment_json(
    number: usize,
    commitment: &Commitment,
    organization: &Organization,
    words: &Words<'_>,
) -> CommitmentJson {
    CommitmentJson {
        numero: number,
        id: commitment.id.value.clone(),
        servizio: commitment.service.clone(),
        utenti: commitment.users.clone(),
        strutture_responsabili: commitment
            .responsible
            .iter()
            .map(|id| UnitRef {
                id: id.value.clone(),
                nome: organization
                    .unit(id)
                    .map(|unit| unit.name.clone())
                    .unwrap_or_else(|| id.value.clone()),
            })
            .collect(),
        nota: commitment.note.clone(),
        standard: commitment
            .standards
            .iter()
            .map(|standard| standard_json(standard, words))
            .collect(),
    }
}

fn standard_json(standard: &Standard, words: &Words<'_>) -> StandardJson {
    let measure = standard.target.measure();
    let share = standard.share.as_ref().map(|share| share.value);
    // The columns of the first versions of the schema, kept for the short forms; `giorni` only
    // for days not said which, as those versions wrote them: in working or calendar days the row
    // is the long form's, read in `valore` and `unita`.
    let (days, availability) = match (standard.preset, measure) {
        (Some(Preset::TakeCharge | Preset::Response), Some(measure))
            if measure.unit.value == MeasureUnit::Days =>
        {
            (Some(measure.value.value as u32), None)
        }
        (Some(Preset::Availability), Some(measure)) => (None, Some(measure.value.value)),
        _ => (None, None),
    };
    StandardJson {
        id: standard.id.value.clone(),
        stato: if standard.is_defined() {
            "defined"
        } else {
            "not_defined"
        },
        tipo: standard.preset.map(|preset| preset.key()),
        dimensione: standard.dimension.map(|dimension| dimension.code()),
        sottodimensione: standard.sub_dimension.clone(),
        indicatore: standards::indicator(standard, words.pack),
        formula: standard.formula.clone(),
        tipologia: standard.civit_kind().map(|kind| kind.key()),
        tipo_valore: standard.target.key(),
        comparatore: measure.map(|measure| measure.comparator.value.key()),
        valore: measure.map(|measure| measure.value.value),
        unita: measure.map(|measure| measure.unit.value.key()),
        periodo: measure.and_then(|measure| measure.per.as_ref().map(|per| per.value.key())),
        percentuale_casi: share,
        base_normativa: standard.legal_basis.clone(),
        descrizione: standards::sentence(standard, words.standards),
        giorni: days,
        disponibilita_percentuale: availability,
        nota: standard.note.clone(),
    }
}

/// 85 → "85", 99.6 → "99.6": no trailing ".0", at most two decimals.
pub(crate) fn number(value: f64) -> String {
    standards::format_number(value, ".")
}

pub(crate) fn file(folder: &str, name: &str, bytes: Vec<u8>) -> OutputFile {
    OutputFile {
        path: std::path::Path::new(folder).join(name),
        contents: Contents::Bytes(bytes),
    }
}

/// RFC 4180 CSV with a header row from the field names, every cell neutralised with
/// [`neutralise_formula`] and every cell that is not a number in double quotes.
pub(crate) fn csv_bytes<T: Serialize>(rows: &[T]) -> Result<Vec<u8>, String> {
    // Serialised once to get the field names and cells as csv writes them, then read back and
    // written cell by cell.
    let mut plain = csv::WriterBuilder::new().from_writer(Vec::new());
    for row in rows {
        plain.serialize(row).map_err(|error| error.to_string())?;
    }
    let plain = plain.into_inner().map_err(|error| error.to_string())?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(plain.as_slice());
    // Quoted text keeps a cell whole in a reader that honours RFC 4180; a spreadsheet that splits
    // on `;` regardless is met by the neutralisation of every segment.
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::NonNumeric)
        .from_writer(Vec::new());
    for record in reader.records() {
        let record = record.map_err(|error| error.to_string())?;
        writer
            .write_record(
                record
                    .iter()
                    .map(|cell| neutralise_formula(cell).into_owned()),
            )
            .map_err(|error| error.to_string())?;
    }
    writer.into_inner().map_err(|error| error.to_string())
}

/// A cell that a spreadsheet would read as a formula (it starts with `=`, `+`, `-`, `@`, a tab or
/// a carriage return) gets a leading `'`, as OWASP's guidance on CSV injection says; a cell that is
/// only a number (`-2`, `+39055…`) cannot run anything and stays as it is. Spreadsheets set in
/// Italian split a CSV on `;` by default, quotes or not, so every `;`-separated segment of the cell
/// is treated as a cell of its own: the `'` goes before its first character after any spaces.
pub(crate) fn neutralise_formula(cell: &str) -> std::borrow::Cow<'_, str> {
    if !cell.split(';').any(segment_starts_formula) {
        return std::borrow::Cow::Borrowed(cell);
    }
    let segments: Vec<String> = cell
        .split(';')
        .map(|segment| {
            if segment_starts_formula(segment) {
                let text = segment.trim_start_matches(' ');
                let spaces = &segment[..segment.len() - text.len()];
                format!("{spaces}'{text}")
            } else {
                segment.to_string()
            }
        })
        .collect();
    std::borrow::Cow::Owned(segments.join(";"))
}

/// Whether a segment, once the spaces a spreadsheet skips are gone, starts a formula and is not
/// a plain number.
fn segment_starts_formula(segment: &str) -> bool {
    let text = segment.trim_start_matches(' ');
    text.chars()
        .next()
        .is_some_and(|c| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r'))
        && !is_plain_number(text)
}

fn is_plain_number(cell: &str) -> bool {
    let digits = cell.strip_prefix(['+', '-']).unwrap_or(cell);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let fraction = parts.next();
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// Pretty JSON with a final newline.
pub(crate) fn json_bytes<T: Serialize>(value: &T) -> Result<Vec<u8>, String> {
    let mut bytes = serde_json::to_vec_pretty(value).map_err(|error| error.to_string())?;
    bytes.push(b'\n');
    Ok(bytes)
}

// ---- The documented shapes ------------------------------------------------------------------------

#[derive(Serialize)]
struct CommitmentRow<'a> {
    numero: usize,
    id_impegno: &'a str,
    servizio: &'a str,
    utenti: String,
    id_standard: &'a str,
    stato: &'static str,
    dimensione: Option<&'static str>,
    sottodimensione: Option<&'a str>,
    indicatore: &'a str,
    formula: Option<&'a str>,
    tipologia: Option<&'static str>,
    tipo_standard: Option<&'static str>,
    tipo_valore: &'static str,
    comparatore: Option<&'static str>,
    valore: Option<String>,
    unita: Option<&'static str>,
    periodo: Option<&'static str>,
    percentuale_casi: Option<String>,
    base_normativa: Option<&'a str>,
    giorni: Option<String>,
    disponibilita_percentuale: Option<String>,
    standard: &'a str,
    nota_standard: Option<&'a str>,
    struttura_responsabile: String,
    id_struttura_responsabile: String,
    nota_impegno: Option<&'a str>,
}

#[derive(Serialize)]
struct CommitmentsJson {
    #[serde(flatten)]
    header: Header,
    impegni: Vec<CommitmentJson>,
}

#[derive(Serialize)]
struct CommitmentJson {
    numero: usize,
    id: String,
    servizio: String,
    /// `null` when the charter does not say who the service is for.
    utenti: Option<Vec<String>>,
    strutture_responsabili: Vec<UnitRef>,
    nota: Option<String>,
    standard: Vec<StandardJson>,
}

#[derive(Serialize)]
struct UnitRef {
    id: String,
    nome: String,
}

#[derive(Serialize)]
struct StandardJson {
    id: String,
    stato: &'static str,
    tipo: Option<&'static str>,
    dimensione: Option<&'static str>,
    sottodimensione: Option<String>,
    indicatore: String,
    formula: Option<String>,
    tipologia: Option<&'static str>,
    tipo_valore: &'static str,
    comparatore: Option<&'static str>,
    valore: Option<f64>,
    unita: Option<&'static str>,
    periodo: Option<&'static str>,
    percentuale_casi: Option<f64>,
    base_normativa: Option<String>,
    descrizione: String,
    giorni: Option<u32>,
    disponibilita_percentuale: Option<f64>,
    nota: Option<String>,
}

#[derive(Serialize)]
struct ContactRow {
    tipo: &'static str,
    nome: String,
    descrizione: String,
    id_responsabile: String,
    responsabile: String,
    email: String,
    telefono: String,
    pec: String,
    indirizzo: String,
}

#[derive(Serialize)]
struct ContactsJson {
    #[serde(flatten)]
    header: Header,
    processi: Vec<ProcessJson>,
    altri_contatti: Vec<OtherJson>,
    telefoni: Vec<String>,
    sede: Option<AddressJson>,
    orari: Option<HoursJson>,
}

#[derive(Serialize)]
struct ProcessJson {
    processo: String,
    competenze: String,
    id_responsabile: String,
    responsabile: String,
    email: Vec<String>,
}

#[derive(Serialize)]
struct OtherJson {
    nome: Option<String>,
    descrizione: Option<String>,
    email: Option<String>,
    pec: Option<String>,
    telefoni: Vec<String>,
    indirizzo: Option<AddressJson>,
    orari: Option<HoursJson>,
}

/// Opening hours: every day by name, times as `HH:MM`, dates as `AAAA-MM-GG`.
#[derive(Serialize)]
struct HoursJson {
    /// The office receives the public only by appointment.
    solo_su_appuntamento: bool,
    settimanali: Vec<WeeklyJson>,
    eccezioni: Vec<ExceptionJson>,
    nota: Option<String>,
}

#[derive(Serialize)]
struct WeeklyJson {
    giorni: Vec<&'static str>,
    /// Closed on these days: no `fasce`.
    chiuso: bool,
    /// Received by appointment: at the `fasce`, or at times agreed when there are none.
    su_appuntamento: bool,
    fasce: Vec<RangeJson>,
    nota: Option<String>,
}

#[derive(Serialize)]
struct ExceptionJson {
    dal: String,
    al: String,
    chiuso: bool,
    fasce: Vec<RangeJson>,
    nota: Option<String>,
}

#[derive(Serialize)]
struct RangeJson {
    apertura: String,
    chiusura: String,
}

impl HoursJson {
    /// `None` when there is nothing to say. Validation has refused what cannot be read.
    fn new(hours: &Hours) -> Option<Self> {
        if hours.is_empty() {
            return None;
        }
        let ranges = |times: &[Located<String>]| -> Vec<RangeJson> {
            times
                .iter()
                .filter_map(|range| hours::parse_times(range).ok())
                .map(|(opens, closes)| RangeJson {
                    apertura: opens.iso(),
                    chiusura: closes.iso(),
                })
                .collect()
        };
        Some(HoursJson {
            solo_su_appuntamento: hours.by_appointment,
            settimanali: hours
                .weekly
                .iter()
                .map(|rule| WeeklyJson {
                    giorni: hours::weekdays(&rule.days.value)
                        .iter()
                        .map(|day| hours::DAYS[day.0])
                        .collect(),
                    chiuso: rule.closed,
                    su_appuntamento: rule.by_appointment,
                    fasce: ranges(&rule.times.value),
                    nota: rule.note.as_ref().map(|note| note.value.clone()),
                })
                .collect(),
            eccezioni: hours
                .exceptions
                .iter()
                .map(|exception| ExceptionJson {
                    dal: exception.from.value.iso(),
                    al: exception
                        .to
                        .as_ref()
                        .map_or(exception.from.value, |to| to.value)
                        .iso(),
                    chiuso: exception.closed,
                    fasce: ranges(&exception.times),
                    nota: exception.note.clone(),
                })
                .collect(),
            nota: hours.note.as_ref().map(|note| note.value.clone()),
        })
    }
}

#[derive(Serialize)]
struct AddressJson {
    via: String,
    cap: String,
    citta: String,
}

impl AddressJson {
    fn new(address: &Address) -> Self {
        Self {
            via: address.street.value.clone(),
            cap: address.postcode.value.clone(),
            citta: address.city.value.clone(),
        }
    }

    /// "Via Roma 1, 80010 Quarto": the address on one line, for a CSV cell.
    fn line(&self) -> String {
        format!("{}, {} {}", self.via, self.cap, self.citta)
    }
}

#[derive(Serialize)]
struct UnitRow {
    id: String,
    livello: &'static str,
    nome: String,
    id_superiore: String,
    ruolo_responsabile: String,
    id_responsabile: String,
    responsabile: String,
    email_responsabile: String,
    telefono_responsabile: String,
    email_struttura: String,
    telefoni_struttura: String,
    /// No direct phone: reached through the ente's switchboard.
    solo_centralino: bool,
    id_referenti: String,
    referenti: String,
    ruoli_referenti: String,
}

#[derive(Serialize)]
struct OrganizationJson {
    #[serde(flatten)]
    header: Header,
    persone: Vec<PersonJson>,
    direzione: UnitJson,
}

#[derive(Serialize)]
struct PersonJson {
    id: String,
    nome: String,
    titolo: Option<String>,
    email: Option<String>,
    telefono: Option<String>,
}

#[derive(Serialize)]
struct UnitJson {
    id: String,
    livello: &'static str,
    nome: String,
    id_superiore: Option<String>,
    /// The three are `null` for a unit the charter gives only referents for.
    ruolo_responsabile: Option<String>,
    id_responsabile: Option<String>,
    responsabile: Option<String>,
    email: Option<String>,
    telefoni: Vec<String>,
    /// No direct phone: reached through the ente's switchboard.
    solo_centralino: bool,
    referenti: Vec<StaffJson>,
    strutture: Vec<UnitJson>,
}

/// A staff referent of a unit; their contacts are in `persone`.
#[derive(Serialize)]
struct StaffJson {
    id_persona: String,
    nome: String,
    ruolo: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Row {
        testo: String,
        numero: String,
    }

    #[test]
    fn cells_that_start_a_formula_are_neutralised() {
        for (cell, written) in [
            ("=HYPERLINK(\"https://x\")", "'=HYPERLINK(\"https://x\")"),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("-2+3+cmd", "'-2+3+cmd"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\r=x", "'\r=x"),
            ("+39 055 3283807", "'+39 055 3283807"),
            ("-2", "-2"),
            ("+390553283807", "+390553283807"),
            ("99.6", "99.6"),
            ("Servizio = qualità", "Servizio = qualità"),
            ("", ""),
            ("X;=1+1", "X;'=1+1"),
            ("a; -b; @c; 3", "a; '-b; '@c; 3"),
            ("+39 055 1; -2", "'+39 055 1; -2"),
            ("x;\t=1", "x;'\t=1"),
        ] {
            assert_eq!(neutralise_formula(cell), written, "{cell:?}");
        }
    }

    #[test]
    fn the_csv_holds_neutralised_cells_and_reads_back() {
        let rows = [Row {
            testo: "=1+1".to_string(),
            numero: "-3".to_string(),
        }];
        let bytes = csv_bytes(&rows).unwrap();
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        assert_eq!(
            reader.headers().unwrap().iter().collect::<Vec<_>>(),
            ["testo", "numero"]
        );
        let record = reader.records().next().unwrap().unwrap();
        assert_eq!(record.iter().collect::<Vec<_>>(), ["'=1+1", "-3"]);
        assert!(bytes.ends_with(b"\r\n"));
        // Text in quotes, numbers bare.
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains("\"'=1+1\",-3\r\n"), "{text}");
    }

    #[test]
    fn no_segment_starts_a_formula_when_split_on_semicolons() {
        let rows = [Row {
            testo: "X;=1+1; +2+A1;@c;-d".to_string(),
            numero: "a;\t=b".to_string(),
        }];
        let text = String::from_utf8(csv_bytes(&rows).unwrap()).unwrap();
        for line in text.split("\r\n") {
            for segment in line.split([';', ',']) {
                let start = segment.trim_start_matches([' ', '"']);
                assert!(
                    !start.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{segment:?} in {text:?}"
                );
            }
        }
    }
}
