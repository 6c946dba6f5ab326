//! Checks of `content/data/feedback.yaml`: periods over and not overlapping, as for the results;
//! counts that can be true (no more questionnaires returned than given, no more complaints founded
//! or answered than received), scores on their scale, targets that can be reached, class actions
//! in date order and addresses a citizen may follow.

use super::Checker;
use crate::diagnostics::Diagnostic;
use crate::model::{ClassAction, Complaints, Date, Located, Project, Survey};
use crate::source::FileId;
use crate::url_policy::{self, UrlKind, UrlUse};

impl Checker<'_> {
    pub(super) fn feedback(&mut self, project: &Project, today: Date) {
        let Some(feedback) = &project.feedback else {
            return;
        };
        let file = feedback.file;
        let mut spans = Vec::new();
        for period in &feedback.data.periods {
            self.period_ended(file, &period.span, today);
            spans.push(&period.span);
            if period.surveys.is_empty() && period.complaints.is_none() {
                let diagnostic = Diagnostic::error(
                    "E296",
                    format!(
                        "il periodo {} non ha né indagini né reclami",
                        period.span.key()
                    ),
                );
                self.push(self.located(diagnostic, file, &period.span).with_hint(
                    "scrivi `surveys` o `complaints` per il periodo, oppure togli il periodo",
                ));
            }
            for survey in &period.surveys {
                self.survey(file, survey);
            }
            if let Some(complaints) = &period.complaints {
                self.complaints(file, complaints);
            }
        }
        self.overlaps(file, spans);
        for action in feedback.data.class_actions.iter().flatten() {
            self.class_action(file, action, today);
        }
    }

    fn survey(&mut self, file: FileId, survey: &Located<Survey>) {
        let title = &survey.value.title;
        if title.trim().is_empty() {
            let diagnostic = Diagnostic::error("E296", "un'indagine non ha il titolo");
            self.push(self.located(diagnostic, file, survey).with_hint(
                "scrivi in `title` che cosa chiedeva l'indagine (per esempio «Questionario sui servizi anagrafici»)",
            ));
        }
        let (given, returned) = (&survey.value.given, &survey.value.returned);
        if given.value == 0 {
            let diagnostic = Diagnostic::error(
                "E290",
                format!("l'indagine «{title}» non ha distribuito nessun questionario"),
            );
            self.push(self.located(diagnostic, file, given).with_hint(
                "`given` è il numero di questionari distribuiti (o di inviti inviati); se l'indagine non si è svolta, non scriverla",
            ));
        } else if returned.value > given.value {
            let diagnostic = Diagnostic::error(
                "E290",
                format!(
                    "l'indagine «{title}» ha {} questionari restituiti su {} distribuiti",
                    returned.value, given.value
                ),
            );
            self.push(self.located(diagnostic, file, returned).with_hint(
                "`returned` conta i questionari compilati e non può superare `given`, quelli distribuiti",
            ));
        }
        self.score(file, survey);
        if let Some(target) = &survey.value.target_response_rate
            && !(0.0..=100.0).contains(&target.value)
        {
            let diagnostic = Diagnostic::error(
                "E293",
                format!(
                    "il tasso di risposta atteso dell'indagine «{title}» è {}%: una percentuale va da 0 a 100",
                    target.value
                ),
            );
            self.push(self.located(diagnostic, file, target).with_hint(
                "scrivi il numero senza il simbolo %, per esempio `target_response_rate: 35`",
            ));
        }
        if let Some(report) = &survey.value.report {
            self.feedback_url(file, report);
        }
    }

    /// `E291`: a score needs its scale, and both it and its target lie on it.
    fn score(&mut self, file: FileId, survey: &Located<Survey>) {
        let survey_value = &survey.value;
        let title = &survey_value.title;
        let hint = "scrivi il punteggio con la sua scala: `score: 4.1` e `out_of: 5` si leggono «4,1 su 5»";
        let out_of = match (&survey_value.score, &survey_value.out_of) {
            (Some(score), None) => {
                let diagnostic = Diagnostic::error(
                    "E291",
                    format!("il punteggio dell'indagine «{title}» non dice su quanto è espresso"),
                );
                self.push(self.located(diagnostic, file, score).with_hint(hint));
                return;
            }
            (None, Some(out_of)) if survey_value.target_score.is_none() => {
                let diagnostic = Diagnostic::error(
                    "E291",
                    format!("l'indagine «{title}» ha una scala (`out_of`) ma nessun punteggio"),
                );
                self.push(self.located(diagnostic, file, out_of).with_hint(hint));
                return;
            }
            (_, Some(out_of)) => out_of,
            (None, None) => {
                if let Some(target) = &survey_value.target_score {
                    let diagnostic = Diagnostic::error(
                        "E291",
                        format!("il punteggio atteso dell'indagine «{title}» non ha una scala"),
                    );
                    self.push(self.located(diagnostic, file, target).with_hint(hint));
                }
                return;
            }
        };
        if out_of.value <= 0.0 {
            let diagnostic = Diagnostic::error(
                "E291",
                format!("la scala dell'indagine «{title}» deve essere un numero maggiore di zero"),
            );
            self.push(self.located(diagnostic, file, out_of).with_hint(hint));
            return;
        }
        for (what, value) in [
            ("il punteggio", &survey_value.score),
            ("il punteggio atteso", &survey_value.target_score),
        ] {
            if let Some(value) = value
                && !(0.0..=out_of.value).contains(&value.value)
            {
                let diagnostic = Diagnostic::error(
                    "E291",
                    format!(
                        "{what} dell'indagine «{title}» è {}, fuori dalla scala da 0 a {}",
                        value.value, out_of.value
                    ),
                );
                self.push(self.located(diagnostic, file, value).with_hint(hint));
            }
        }
    }

    /// `E292`: founded and answered complaints are some of those received.
    fn complaints(&mut self, file: FileId, complaints: &Located<Complaints>) {
        let received = complaints.value.received.value;
        for (what, count) in [
            ("fondati", &complaints.value.founded),
            (
                "con risposta nei termini",
                &complaints.value.answered_in_time,
            ),
        ] {
            if let Some(count) = count
                && count.value > received
            {
                let diagnostic = Diagnostic::error(
                    "E292",
                    format!(
                        "{} reclami {what}, ma ne sono stati ricevuti {received}",
                        count.value
                    ),
                );
                self.push(self.located(diagnostic, file, count).with_hint(
                    "`founded` e `answered_in_time` contano una parte dei reclami ricevuti (`received`)",
                ));
            }
        }
    }

    /// `E294`: a class action's steps follow one another and have happened.
    fn class_action(&mut self, file: FileId, action: &Located<ClassAction>, today: Date) {
        let subject = &action.value.subject;
        // Each step with how a message names it, and how it names it as the one before.
        let mut previous = (&action.value.filed, "al ricorso");
        let steps = [
            (
                "la sentenza",
                "alla sentenza",
                action.value.judgment.as_ref(),
            ),
            (
                "le misure adottate",
                "alle misure",
                action.value.measures.as_ref(),
            ),
        ];
        let dates = std::iter::once(("il ricorso", "al ricorso", &action.value.filed)).chain(
            steps
                .iter()
                .filter_map(|(what, before, step)| step.map(|step| (*what, *before, &step.date))),
        );
        for (what, before, date) in dates {
            if date.value > today {
                let diagnostic = Diagnostic::error(
                    "E294",
                    format!(
                        "ricorso «{subject}»: {what} ha una data futura ({})",
                        date.value.iso()
                    ),
                );
                self.push(self.located(diagnostic, file, date).with_hint(
                    "scrivi solo ciò che è già avvenuto; se la data è sbagliata, correggila",
                ));
            }
            if date.value < previous.0.value {
                let diagnostic = Diagnostic::error(
                    "E294",
                    format!(
                        "ricorso «{subject}»: {what} ({}) è precedente {} ({})",
                        date.value.iso(),
                        previous.1,
                        previous.0.value.iso()
                    ),
                );
                self.push(self.located(diagnostic, file, date).with_hint(
                    "le date seguono l'ordine dei fatti: ricorso, sentenza, misure adottate",
                ));
            }
            previous = (date, before);
        }
        for url in action.value.urls() {
            self.feedback_url(file, url);
        }
    }

    /// `E295`: a document's address is a web address or a path of this site.
    fn feedback_url(&mut self, file: FileId, url: &Located<String>) {
        match url_policy::check(&url.value, UrlUse::Link) {
            Ok(UrlKind::Web | UrlKind::Site) => {}
            Ok(UrlKind::Mailto | UrlKind::Tel) => {
                let diagnostic = Diagnostic::error(
                    "E295",
                    format!("`{}` non è l'indirizzo di un documento", url.value),
                );
                self.push(self.located(diagnostic, file, url).with_hint(
                    "scrivi l'indirizzo della pagina o del file (https://…, oppure /percorso/ di questo sito)",
                ));
            }
            Err(refusal) => {
                let diagnostic =
                    Diagnostic::error("E295", format!("{}: `{}`", refusal.describe(), url.value));
                self.push(self.located(diagnostic, file, url).with_hint(
                    "scrivi l'indirizzo della pagina o del file (https://…, oppure /percorso/ di questo sito)",
                ));
            }
        }
    }
}
