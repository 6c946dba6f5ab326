//! Operating-system errors in Italian: what an [`std::io::Error`] means, in the words of the office
//! that reads the message, with the system's own text in parentheses for the rare kinds carta has
//! no words for.

use std::io::{self, ErrorKind};

/// The error in Italian: "permesso negato", "il file non esiste"…
pub(crate) fn italian(error: &io::Error) -> String {
    // EIO has no kind of its own in std.
    #[cfg(unix)]
    if error.raw_os_error() == Some(5) {
        return "errore di lettura o scrittura del disco".to_string();
    }
    let words = match error.kind() {
        ErrorKind::NotFound => "il file o la cartella non esiste",
        ErrorKind::PermissionDenied => "permesso negato",
        ErrorKind::AlreadyExists => "esiste già",
        ErrorKind::AddrInUse => "l'indirizzo è già in uso",
        ErrorKind::AddrNotAvailable => "l'indirizzo non è di questo computer",
        ErrorKind::StorageFull => "spazio su disco esaurito",
        ErrorKind::QuotaExceeded => "spazio disponibile (quota) esaurito",
        ErrorKind::ReadOnlyFilesystem => "il disco è in sola lettura",
        ErrorKind::DirectoryNotEmpty => "la cartella non è vuota",
        ErrorKind::NotADirectory => "non è una cartella",
        ErrorKind::IsADirectory => "è una cartella, non un file",
        ErrorKind::InvalidData => {
            "il contenuto non è valido (per un file di testo: non è in UTF-8)"
        }
        ErrorKind::FileTooLarge => "il file è troppo grande",
        ErrorKind::CrossesDevices => "le due cartelle sono su dischi diversi",
        ErrorKind::TimedOut => "tempo scaduto",
        ErrorKind::Interrupted => "operazione interrotta",
        ErrorKind::ResourceBusy => "il file è in uso da un altro programma",
        ErrorKind::OutOfMemory => "memoria esaurita",
        _ => return format!("errore del sistema ({error})"),
    };
    words.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_kinds_are_said_in_italian_and_the_rest_keep_the_original() {
        let missing = io::Error::from(ErrorKind::NotFound);
        assert_eq!(italian(&missing), "il file o la cartella non esiste");
        let denied = io::Error::from_raw_os_error(13);
        assert_eq!(italian(&denied), "permesso negato");
        let other = io::Error::other("strano");
        assert_eq!(italian(&other), "errore del sistema (strano)");
    }
}
