<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
    <context>
        <name>airlock::gui::ActivityModel</name>
        <message>
            <source>Caller</source>
            <translation>Aufrufer</translation>
        </message>
        <message>
            <source>Pull</source>
            <translation>Abruf</translation>
        </message>
        <message>
            <source>model pull started</source>
            <translation>Modellabruf begonnen</translation>
        </message>
        <message>
            <source>model pull ended</source>
            <translation>Modellabruf beendet</translation>
        </message>
        <message>
            <source>model pull ended: %1</source>
            <translation>Modellabruf beendet: %1</translation>
        </message>
        <message>
            <source>unknown reason</source>
            <translation>unbekannter Grund</translation>
        </message>
        <message>
            <source>allowed</source>
            <translation>erlaubt</translation>
        </message>
        <message>
            <source>malformed request</source>
            <translation>fehlerhafte Anfrage</translation>
        </message>
        <message>
            <source>missing or invalid service token</source>
            <translation>Dienst-Token fehlt oder ist ungültig</translation>
        </message>
        <message>
            <source>no such endpoint</source>
            <translation>unbekannter Endpunkt</translation>
        </message>
        <message>
            <source>wrong method for the endpoint</source>
            <translation>falsche Methode für den Endpunkt</translation>
        </message>
        <message>
            <source>Airlock disabled</source>
            <translation>Airlock deaktiviert</translation>
        </message>
        <message>
            <source>lockdown</source>
            <translation>Sperre</translation>
        </message>
        <message>
            <source>rate limit</source>
            <translation>Ratenbegrenzung</translation>
        </message>
        <message>
            <source>HTTPS required</source>
            <translation>HTTPS erforderlich</translation>
        </message>
        <message>
            <source>not on the allowlist</source>
            <translation>nicht auf der Positivliste</translation>
        </message>
        <message>
            <source>method not allowed</source>
            <translation>Methode nicht erlaubt</translation>
        </message>
        <message>
            <source>reserved address</source>
            <translation>reservierte Adresse</translation>
        </message>
        <message>
            <source>credential detected</source>
            <translation>Zugangsdaten erkannt</translation>
        </message>
        <message>
            <source>personal data detected</source>
            <translation>personenbezogene Daten erkannt</translation>
        </message>
        <message>
            <source>content blocked</source>
            <translation>Inhalt blockiert</translation>
        </message>
        <message>
            <source>could not be inspected</source>
            <translation>nicht prüfbar</translation>
        </message>
        <message>
            <source>request too large</source>
            <translation>Anfrage zu groß</translation>
        </message>
        <message>
            <source>response too large</source>
            <translation>Antwort zu groß</translation>
        </message>
        <message>
            <source>audit log unavailable</source>
            <translation>Prüfprotokoll nicht verfügbar</translation>
        </message>
        <message>
            <source>busy</source>
            <translation>ausgelastet</translation>
        </message>
        <message>
            <source>upstream unreachable</source>
            <translation>Gegenstelle nicht erreichbar</translation>
        </message>
        <message>
            <source>upstream TLS error</source>
            <translation>TLS-Fehler der Gegenstelle</translation>
        </message>
        <message>
            <source>upstream timeout</source>
            <translation>Zeitüberschreitung der Gegenstelle</translation>
        </message>
        <message>
            <source>upstream failed</source>
            <translation>Gegenstelle fehlgeschlagen</translation>
        </message>
        <message>
            <source>too many redirects</source>
            <translation>zu viele Weiterleitungen</translation>
        </message>
        <message>
            <source>not possible in this state</source>
            <translation>in diesem Zustand nicht möglich</translation>
        </message>
        <message>
            <source>not enough disk space</source>
            <translation>nicht genug Speicherplatz</translation>
        </message>
        <message>
            <source>unsafe file path</source>
            <translation>unsicherer Dateipfad</translation>
        </message>
        <message>
            <source>malformed file list</source>
            <translation>fehlerhafte Dateiliste</translation>
        </message>
        <message>
            <source>digest mismatch</source>
            <translation>Prüfsumme stimmt nicht</translation>
        </message>
        <message>
            <source>request from a web page</source>
            <translation>Anfrage von einer Webseite</translation>
        </message>
        <message>
            <source>hourly upload budget spent</source>
            <translation>stündliches Upload-Budget aufgebraucht</translation>
        </message>
        <message>
            <source>published</source>
            <translation>veröffentlicht</translation>
        </message>
        <message>
            <source>failed</source>
            <translation>fehlgeschlagen</translation>
        </message>
        <message>
            <source>cancelled</source>
            <translation>abgebrochen</translation>
        </message>
        <message>
            <source>stopped</source>
            <translation>angehalten</translation>
        </message>
        <message>
            <source>unknown outcome</source>
            <translation>unbekannter Ausgang</translation>
        </message>
        <message>
            <source>complete</source>
            <translation>vollständig</translation>
        </message>
        <message>
            <source>refused by the Airlock</source>
            <translation>vom Airlock-Dienst abgelehnt</translation>
        </message>
        <message>
            <source>cut by the lockdown</source>
            <translation>durch die Sperre abgebrochen</translation>
        </message>
        <message>
            <source>cut: the client read too slowly</source>
            <translation>abgebrochen: der Client las zu langsam</translation>
        </message>
        <message>
            <source>cancelled by the client</source>
            <translation>vom Client abgebrochen</translation>
        </message>
        <message>
            <source>Allowed</source>
            <translation>Erlaubt</translation>
        </message>
        <message>
            <source>Blocked</source>
            <translation>Blockiert</translation>
        </message>
        <message>
            <source>%1 (%2)</source>
            <translation>%1 (%2)</translation>
        </message>
        <message>
            <source>%1, %2</source>
            <translation>%1, %2</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>Zeit</translation>
        </message>
        <message>
            <source>Decision</source>
            <translation>Entscheidung</translation>
        </message>
        <message>
            <source>Method</source>
            <translation>Methode</translation>
        </message>
        <message>
            <source>Host</source>
            <translation>Host</translation>
        </message>
        <message>
            <source>Path</source>
            <translation>Pfad</translation>
        </message>
        <message>
            <source>Reason or rule</source>
            <translation>Grund oder Regel</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>Bytes</source>
            <translation>Bytes</translation>
        </message>
    </context>
    <context>
        <name>airlock::gui::ActivityPage</name>
        <message>
            <source>&amp;Copy row</source>
            <translation>Zeile &amp;kopieren</translation>
        </message>
        <message>
            <source>All decisions</source>
            <translation>Alle Entscheidungen</translation>
        </message>
        <message>
            <source>Allowed only</source>
            <translation>Nur erlaubte</translation>
        </message>
        <message>
            <source>Blocked only</source>
            <translation>Nur blockierte</translation>
        </message>
        <message>
            <source>Show decisions</source>
            <translation>Angezeigte Entscheidungen</translation>
        </message>
        <message>
            <source>Host contains…</source>
            <translation>Host enthält …</translation>
        </message>
        <message>
            <source>Filter by host</source>
            <translation>Nach Host filtern</translation>
        </message>
        <message>
            <source>Search method, path, code, rule…</source>
            <translation>Methode, Pfad, Code, Regel suchen …</translation>
        </message>
        <message>
            <source>Filter by text</source>
            <translation>Nach Text filtern</translation>
        </message>
        <message>
            <source>Copy the selected row</source>
            <translation>Die ausgewählte Zeile kopieren</translation>
        </message>
        <message>
            <source>Copy the selected row as tab-separated text (Ctrl+C)</source>
            <translation>Die ausgewählte Zeile als tabulatorgetrennten Text kopieren (Strg+C)</translation>
        </message>
        <message>
            <source>Today's counters</source>
            <translation>Heutige Zähler</translation>
        </message>
        <message>
            <source>&amp;Show:</source>
            <translation>&amp;Anzeigen:</translation>
        </message>
        <message>
            <source>Decisions, newest first</source>
            <translation>Entscheidungen, neueste zuerst</translation>
        </message>
        <message>
            <source>Copy row</source>
            <translation>Zeile kopieren</translation>
        </message>
        <message>
            <source>Today: %1 allowed, %2 blocked, %3 delivered</source>
            <translation>Heute: %1 erlaubt, %2 blockiert, %3 übertragen</translation>
        </message>
        <message>
            <source>%1 of %2 rows shown (newest %3 kept)</source>
            <translation>%1 von %2 Zeilen angezeigt (die neuesten %3 bleiben)</translation>
        </message>
        <message>
            <source>&amp;Resume (%1 new)</source>
            <translation>&amp;Fortsetzen (%1 neu)</translation>
        </message>
        <message>
            <source>&amp;Resume</source>
            <translation>&amp;Fortsetzen</translation>
        </message>
        <message>
            <source>Resume the live table</source>
            <translation>Die Live-Tabelle fortsetzen</translation>
        </message>
        <message>
            <source>&amp;Pause</source>
            <translation>&amp;Pause</translation>
        </message>
        <message>
            <source>Pause the live table</source>
            <translation>Die Live-Tabelle anhalten</translation>
        </message>
    </context>
    <context>
        <name>airlock::gui::AllowlistModel</name>
        <message>
            <source>direct</source>
            <translation>direkt</translation>
        </message>
        <message>
            <source>Only via</source>
            <translation>Nur über</translation>
        </message>
        <message>
            <source>Clients may ask for this destination directly</source>
            <translation>Clients dürfen dieses Ziel direkt anfragen</translation>
        </message>
        <message>
            <source>Reached only when %1 redirects a download here; a direct request is refused</source>
            <translation>Nur erreichbar, wenn %1 einen Download hierher umleitet; eine direkte Anfrage wird abgelehnt</translation>
        </message>
        <message>
            <source>policy default</source>
            <translation>Vorgabe der Richtlinie</translation>
        </message>
        <message>
            <source>Exactly this host, HTTPS on port 443, any path</source>
            <translation>Genau dieser Host, HTTPS auf Port 443, jeder Pfad</translation>
        </message>
        <message>
            <source>Any subdomain of %1 (not %1 itself), HTTPS on port 443</source>
            <translation>Jede Subdomain von %1 (nicht %1 selbst), HTTPS auf Port 443</translation>
        </message>
        <message>
            <source>Host %1, port %2, paths under %3</source>
            <translation>Host %1, Port %2, Pfade unter %3</translation>
        </message>
        <message>
            <source>Destination</source>
            <translation>Ziel</translation>
        </message>
        <message>
            <source>Methods</source>
            <translation>Methoden</translation>
        </message>
        <message>
            <source>unknown method: %1</source>
            <translation>unbekannte Methode: %1</translation>
        </message>
        <message>
            <source>Enter a host, *.domain or https:// URL prefix.</source>
            <translation>Geben Sie einen Host, *.domain oder ein https://-URL-Präfix ein.</translation>
        </message>
        <message>
            <source>%1 is already on the allowlist.</source>
            <translation>%1 steht bereits auf der Positivliste.</translation>
        </message>
        <message>
            <source>No entry selected.</source>
            <translation>Kein Eintrag ausgewählt.</translation>
        </message>
    </context>
    <context>
        <name>airlock::gui::AllowlistPage</name>
        <message>
            <source>empty: clients may ask for it directly; or e.g. huggingface.co</source>
            <translation>leer: Clients dürfen es direkt anfragen; oder z. B. huggingface.co</translation>
        </message>
        <message>
            <source>Origins whose redirects alone lead to this entry</source>
            <translation>Ursprünge, deren Umleitungen allein zu diesem Eintrag führen</translation>
        </message>
        <message>
            <source>For shared storage and CDN hosts: reached only when one of these origins redirects a download there, so no client can send data straight to a bucket.</source>
            <translation>Für gemeinsam genutzte Speicher- und CDN-Hosts: nur erreichbar, wenn einer dieser Ursprünge einen Download dorthin umleitet, damit kein Client Daten direkt an einen Bucket senden kann.</translation>
        </message>
        <message>
            <source>Only v&amp;ia:</source>
            <translation>Nur ü&amp;ber:</translation>
        </message>
        <message>
            <source>&amp;Add</source>
            <translation>&amp;Hinzufügen</translation>
        </message>
        <message>
            <source>Re&amp;place selected</source>
            <translation>Auswahl &amp;ersetzen</translation>
        </message>
        <message>
            <source>Re&amp;move selected</source>
            <translation>Auswahl entfe&amp;rnen</translation>
        </message>
        <message>
            <source>Re&amp;vert</source>
            <translation>&amp;Verwerfen</translation>
        </message>
        <message>
            <source>A&amp;pply</source>
            <translation>&amp;Übernehmen</translation>
        </message>
        <message>
            <source>Allowlist entries</source>
            <translation>Einträge der Positivliste</translation>
        </message>
        <message>
            <source>huggingface.co, *.hf.co or https://registry.ollama.ai/v2/</source>
            <translation>huggingface.co, *.hf.co oder https://registry.ollama.ai/v2/</translation>
        </message>
        <message>
            <source>Allowlist entry</source>
            <translation>Eintrag der Positivliste</translation>
        </message>
        <message>
            <source>empty: the policy's methods; or e.g. GET, HEAD</source>
            <translation>leer: Methoden der Richtlinie; oder z. B. GET, HEAD</translation>
        </message>
        <message>
            <source>Methods for this entry</source>
            <translation>Methoden für diesen Eintrag</translation>
        </message>
        <message>
            <source>Entry check</source>
            <translation>Prüfung des Eintrags</translation>
        </message>
        <message>
            <source>Result of the last change</source>
            <translation>Ergebnis der letzten Änderung</translation>
        </message>
        <message>
            <source>You are connected as a viewer: the allowlist is read only.</source>
            <translation>Sie sind als Betrachter verbunden: Die Positivliste ist schreibgeschützt.</translation>
        </message>
        <message>
            <source>Add the entry to the list</source>
            <translation>Den Eintrag zur Liste hinzufügen</translation>
        </message>
        <message>
            <source>Replace the selected entry with the one typed</source>
            <translation>Den ausgewählten Eintrag durch den eingegebenen ersetzen</translation>
        </message>
        <message>
            <source>Remove the selected entry</source>
            <translation>Den ausgewählten Eintrag entfernen</translation>
        </message>
        <message>
            <source>Discard the changes not yet applied</source>
            <translation>Noch nicht übernommene Änderungen verwerfen</translation>
        </message>
        <message>
            <source>Apply the changed allowlist to the service</source>
            <translation>Die geänderte Positivliste an den Dienst übergeben</translation>
        </message>
        <message>
            <source>Sends the whole list as one change; the service validates and saves it.</source>
            <translation>Sendet die ganze Liste als eine Änderung; der Dienst prüft und speichert sie.</translation>
        </message>
        <message>
            <source>&amp;Entry:</source>
            <translation>&amp;Eintrag:</translation>
        </message>
        <message>
            <source>&amp;Methods:</source>
            <translation>&amp;Methoden:</translation>
        </message>
        <message>
            <source>Valid entry.</source>
            <translation>Gültiger Eintrag.</translation>
        </message>
        <message>
            <source>Not valid: %1</source>
            <translation>Ungültig: %1</translation>
        </message>
        <message>
            <source>Added locally. Apply sends the list to the service.</source>
            <translation>Lokal hinzugefügt. „Übernehmen“ sendet die Liste an den Dienst.</translation>
        </message>
        <message>
            <source>Changed locally. Apply sends the list to the service.</source>
            <translation>Lokal geändert. „Übernehmen“ sendet die Liste an den Dienst.</translation>
        </message>
        <message>
            <source>Removed locally. Apply sends the list to the service.</source>
            <translation>Lokal entfernt. „Übernehmen“ sendet die Liste an den Dienst.</translation>
        </message>
        <message>
            <source>Applying…</source>
            <translation>Wird übernommen …</translation>
        </message>
        <message>
            <source>Applied. The service saved the new allowlist.</source>
            <translation>Übernommen. Der Dienst hat die neue Positivliste gespeichert.</translation>
        </message>
        <message>
            <source>The service refused the change: %1</source>
            <translation>Der Dienst hat die Änderung abgelehnt: %1</translation>
        </message>
    </context>
    <context>
        <name>airlock::gui::ConnectionBanner</name>
        <message>
            <source>&amp;Retry now</source>
            <translation>&amp;Jetzt erneut versuchen</translation>
        </message>
        <message>
            <source>Retry connecting to the Airlock service now</source>
            <translation>Jetzt erneut mit dem Airlock-Dienst verbinden</translation>
        </message>
        <message>
            <source>Connection problem</source>
            <translation>Verbindungsproblem</translation>
        </message>
        <message>
            <source>Connecting to the Airlock service…</source>
            <translation>Verbindung mit dem Airlock-Dienst wird hergestellt …</translation>
        </message>
        <message>
            <source>Socket: %1</source>
            <translation>Socket: %1</translation>
        </message>
        <message>
            <source>The Airlock service is not reachable.</source>
            <translation>Der Airlock-Dienst ist nicht erreichbar.</translation>
        </message>
        <message>
            <source>The panel could not connect to %1 (%2).
Check that the service is running: systemctl status secure-ai-airlock. Start it with: sudo systemctl start secure-ai-airlock.
The panel reconnects by itself as soon as the service answers.</source>
            <translation>Die Verwaltung konnte keine Verbindung zu %1 herstellen (%2).
Prüfen Sie, ob der Dienst läuft: systemctl status secure-ai-airlock. Starten Sie ihn mit: sudo systemctl start secure-ai-airlock.
Die Verwaltung verbindet sich von selbst neu, sobald der Dienst antwortet.</translation>
        </message>
        <message>
            <source>no answer</source>
            <translation>keine Antwort</translation>
        </message>
        <message>
            <source>The Airlock service refused this panel.</source>
            <translation>Der Airlock-Dienst hat diese Verwaltung abgewiesen.</translation>
        </message>
        <message>
            <source>The service said: %1
Only root, the service account and members of the administrators' or viewers' group (secure-ai-admin by default) may use the panel. Ask an administrator to add your account, log in again, then retry.</source>
            <translation>Der Dienst meldet: %1
Nur root, das Dienstkonto und Mitglieder der Administratoren- oder Betrachtergruppe (standardmäßig secure-ai-admin) dürfen die Verwaltung benutzen. Bitten Sie einen Administrator, Ihr Konto aufzunehmen, melden Sie sich neu an und versuchen Sie es dann erneut.</translation>
        </message>
    </context>
    <context>
        <name>airlock::gui::Format</name>
        <message>
            <source>0 B/s</source>
            <translation>0 B/s</translation>
        </message>
        <message>
            <source>%1/s</source>
            <translation>%1/s</translation>
        </message>
        <message>
            <source>%1 s</source>
            <translation>%1 s</translation>
        </message>
        <message>
            <source>%1 min %2 s</source>
            <translation>%1 min %2 s</translation>
        </message>
        <message>
            <source>%1 h %2 min</source>
            <translation>%1 h %2 min</translation>
        </message>
    </context>
    <context>
        <name>airlock::gui::KioskPullBoard</name>
        <message>
            <source>Model pulls</source>
            <translation>Modell-Downloads</translation>
        </message>
        <message numerus="yes">
            <source>… and %n more model pull(s)</source>
            <translation>
                <numerusform>… und %n weiterer Modell-Download</numerusform>
                <numerusform>… und %n weitere Modell-Downloads</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>airlock::gui::KioskPullRow</name>
        <message>
            <source>%1 % · %2 left</source>
            <translation>%1 % · noch %2</translation>
        </message>
        <message>
            <source>%1 %</source>
            <translation>%1 %</translation>
        </message>
        <message>
            <source>%1 of %2</source>
            <translation>%1 von %2</translation>
        </message>
        <message>
            <source>%1 of %2 files verified</source>
            <translation>%1 von %2 Dateien geprüft</translation>
        </message>
        <message>
            <source>Progress of %1</source>
            <translation>Fortschritt von %1</translation>
        </message>
        <message>
            <source>Model pull %1: %2</source>
            <translation>Modell-Download %1: %2</translation>
        </message>
    </context>
    <context>
        <name>airlock::gui::KioskWindow</name>
        <message>
            <source>Secure AI Airlock — status</source>
            <translation>Secure AI Airlock – Status</translation>
        </message>
        <message>
            <source>Airlock status board</source>
            <translation>Airlock-Statustafel</translation>
        </message>
        <message>
            <source>Allowed today</source>
            <translation>Heute erlaubt</translation>
        </message>
        <message>
            <source>Blocked today</source>
            <translation>Heute blockiert</translation>
        </message>
        <message>
            <source>Delivered today</source>
            <translation>Heute übertragen</translation>
        </message>
        <message>
            <source>Last decisions</source>
            <translation>Letzte Entscheidungen</translation>
        </message>
        <message>
            <source>Downloads</source>
            <translation>Downloads</translation>
        </message>
        <message>
            <source>Reason: %1</source>
            <translation>Grund: %1</translation>
        </message>
        <message>
            <source>Service not reachable — last known state shown. Reconnecting…</source>
            <translation>Dienst nicht erreichbar – letzter bekannter Zustand. Neue Verbindung wird aufgebaut …</translation>
        </message>
        <message>
            <source>Waiting for the Airlock service…</source>
            <translation>Warten auf den Airlock-Dienst …</translation>
        </message>
        <message>
            <source>Airlock state: %1</source>
            <translation>Airlock-Zustand: %1</translation>
        </message>
        <message>
            <source>Allowed</source>
            <translation>Erlaubt</translation>
        </message>
        <message>
            <source>Blocked</source>
            <translation>Blockiert</translation>
        </message>
        <message>
            <source>%1  %2  %3 %4</source>
            <translation>%1  %2  %3 %4</translation>
        </message>
        <message>
            <source>%1 — %2</source>
            <translation>%1 – %2</translation>
        </message>
    </context>
    <context>
        <name>airlock::gui::LockdownDialog</name>
        <message>
            <source>Lock down the Airlock</source>
            <translation>Airlock sperren</translation>
        </message>
        <message>
            <source>A lockdown refuses every request at once, whatever else is set, and stays in force across restarts until an administrator unlocks the Airlock.</source>
            <translation>Eine Sperre lehnt sofort jede Anfrage ab, unabhängig von allen anderen Einstellungen, und bleibt auch über Neustarts hinweg bestehen, bis ein Administrator die Airlock entsperrt.</translation>
        </message>
        <message>
            <source>e.g. suspicious traffic, incident 42</source>
            <translation>z. B. verdächtiger Verkehr, Vorfall 42</translation>
        </message>
        <message>
            <source>Reason for the lockdown</source>
            <translation>Grund für die Sperre</translation>
        </message>
        <message>
            <source>&amp;Lock down</source>
            <translation>&amp;Sperren</translation>
        </message>
        <message>
            <source>Confirm the lockdown</source>
            <translation>Die Sperre bestätigen</translation>
        </message>
        <message>
            <source>&amp;Reason:</source>
            <translation>&amp;Grund:</translation>
        </message>
    </context>
    <context>
        <name>airlock::gui::MainWindow</name>
        <message>
            <source>Secure AI Airlock</source>
            <translation>Secure AI Airlock</translation>
        </message>
        <message>
            <source>&amp;Activity</source>
            <translation>&amp;Aktivität</translation>
        </message>
        <message>
            <source>T&amp;ransfers</source>
            <translation>Ü&amp;bertragungen</translation>
        </message>
        <message>
            <source>&amp;Models</source>
            <translation>&amp;Modelle</translation>
        </message>
        <message>
            <source>Allow&amp;list</source>
            <translation>&amp;Positivliste</translation>
        </message>
        <message>
            <source>P&amp;olicy</source>
            <translation>&amp;Richtlinie</translation>
        </message>
        <message>
            <source>Views</source>
            <translation>Ansichten</translation>
        </message>
        <message>
            <source>T&amp;ransfers (%1)</source>
            <translation>Ü&amp;bertragungen (%1)</translation>
        </message>
        <message>
            <source>&amp;Models (%1)</source>
            <translation>&amp;Modelle (%1)</translation>
        </message>
        <message>
            <source>Connected as administrator</source>
            <translation>Als Administrator verbunden</translation>
        </message>
        <message>
            <source>Connected as viewer (read only)</source>
            <translation>Als Betrachter verbunden (nur lesen)</translation>
        </message>
        <message>
            <source>Not connected</source>
            <translation>Nicht verbunden</translation>
        </message>
        <message>
            <source>Today: %1 allowed · %2 blocked · %3 delivered</source>
            <translation>Heute: %1 erlaubt · %2 blockiert · %3 übertragen</translation>
        </message>
        <message>
            <source>The Airlock is on.</source>
            <translation>Die Airlock ist eingeschaltet.</translation>
        </message>
        <message>
            <source>The Airlock is off.</source>
            <translation>Die Airlock ist ausgeschaltet.</translation>
        </message>
        <message>
            <source>The service refused: %1</source>
            <translation>Der Dienst hat abgelehnt: %1</translation>
        </message>
        <message>
            <source>Lockdown in force.</source>
            <translation>Sperre aktiv.</translation>
        </message>
        <message>
            <source>Unlock the Airlock</source>
            <translation>Airlock entsperren</translation>
        </message>
        <message>
            <source>End the lockdown? The Airlock then lets requests through again if it is switched on.</source>
            <translation>Die Sperre aufheben? Die Airlock lässt dann wieder Anfragen durch, sofern sie eingeschaltet ist.</translation>
        </message>
        <message>
            <source>Lockdown ended.</source>
            <translation>Sperre aufgehoben.</translation>
        </message>
    </context>
    <context>
        <name>airlock::gui::ModelsPage</name>
        <message>
            <source>Not removed: %1 changed while you were asked.</source>
            <translation>Nicht entfernt: %1 hat sich geändert, während Sie gefragt wurden.</translation>
        </message>
        <message>
            <source>&amp;Pull a model…</source>
            <translation>M&amp;odell abrufen …</translation>
        </message>
        <message>
            <source>Selected pull</source>
            <translation>Ausgewählter Abruf</translation>
        </message>
        <message>
            <source>Select a pull to see its details.</source>
            <translation>Wählen Sie einen Abruf aus, um seine Einzelheiten zu sehen.</translation>
        </message>
        <message>
            <source>Source</source>
            <translation>Quelle</translation>
        </message>
        <message>
            <source>Revision</source>
            <translation>Revision</translation>
        </message>
        <message>
            <source>State</source>
            <translation>Zustand</translation>
        </message>
        <message>
            <source>Verification</source>
            <translation>Prüfung</translation>
        </message>
        <message>
            <source>Cop&amp;y path</source>
            <translation>Pfad &amp;kopieren</translation>
        </message>
        <message>
            <source>Why it failed</source>
            <translation>Warum er fehlschlug</translation>
        </message>
        <message>
            <source>&amp;Cancel pull</source>
            <translation>Abruf abbre&amp;chen</translation>
        </message>
        <message>
            <source>R&amp;esume</source>
            <translation>&amp;Fortsetzen</translation>
        </message>
        <message>
            <source>Remo&amp;ve…</source>
            <translation>En&amp;tfernen …</translation>
        </message>
        <message>
            <source>Pull a model</source>
            <translation>Modell abrufen</translation>
        </message>
        <message>
            <source>Download a model from Hugging Face or the Ollama registry through the Airlock.</source>
            <translation>Ein Modell von Hugging Face oder aus der Ollama-Registry über die Airlock herunterladen.</translation>
        </message>
        <message>
            <source>Why no pull can be started</source>
            <translation>Warum kein Abruf gestartet werden kann</translation>
        </message>
        <message>
            <source>Free space at the destination</source>
            <translation>Freier Speicherplatz am Ziel</translation>
        </message>
        <message>
            <source>Model pulls</source>
            <translation>Modellabrufe</translation>
        </message>
        <message>
            <source>Where the model was published</source>
            <translation>Wo das Modell veröffentlicht wurde</translation>
        </message>
        <message>
            <source>Copy the published path to the clipboard</source>
            <translation>Den Veröffentlichungspfad in die Zwischenablage kopieren</translation>
        </message>
        <message>
            <source>Source:</source>
            <translation>Quelle:</translation>
        </message>
        <message>
            <source>Revision:</source>
            <translation>Revision:</translation>
        </message>
        <message>
            <source>State:</source>
            <translation>Zustand:</translation>
        </message>
        <message>
            <source>Verified:</source>
            <translation>Geprüft:</translation>
        </message>
        <message>
            <source>Published at:</source>
            <translation>Veröffentlicht unter:</translation>
        </message>
        <message>
            <source>Problem:</source>
            <translation>Problem:</translation>
        </message>
        <message>
            <source>Cancel the selected pull</source>
            <translation>Den ausgewählten Abruf abbrechen</translation>
        </message>
        <message>
            <source>The files downloaded so far are kept, so the pull can be resumed.</source>
            <translation>Die bisher heruntergeladenen Dateien bleiben erhalten, sodass der Abruf fortgesetzt werden kann.</translation>
        </message>
        <message>
            <source>Resume the selected pull</source>
            <translation>Den ausgewählten Abruf fortsetzen</translation>
        </message>
        <message>
            <source>Continues where the pull stopped; nothing is downloaded twice.</source>
            <translation>Setzt dort fort, wo der Abruf stehen blieb; nichts wird doppelt heruntergeladen.</translation>
        </message>
        <message>
            <source>Remove the selected pull</source>
            <translation>Den ausgewählten Abruf entfernen</translation>
        </message>
        <message>
            <source>Removes an ended pull from the list and deletes its partly downloaded files.</source>
            <translation>Entfernt einen beendeten Abruf aus der Liste und löscht seine teilweise heruntergeladenen Dateien.</translation>
        </message>
        <message>
            <source>Result of the last action</source>
            <translation>Ergebnis der letzten Aktion</translation>
        </message>
        <message>
            <source>Cancel pull</source>
            <translation>Abruf abbrechen</translation>
        </message>
        <message>
            <source>Resume</source>
            <translation>Fortsetzen</translation>
        </message>
        <message>
            <source>Remove…</source>
            <translation>Entfernen …</translation>
        </message>
        <message>
            <source>Copy path</source>
            <translation>Pfad kopieren</translation>
        </message>
        <message>
            <source>The service started pulling %1.</source>
            <translation>Der Dienst hat den Abruf von %1 gestartet.</translation>
        </message>
        <message>
            <source>not resolved yet</source>
            <translation>noch nicht aufgelöst</translation>
        </message>
        <message>
            <source>%1. %2</source>
            <translation>%1. %2</translation>
        </message>
        <message>
            <source>%1; now: %2</source>
            <translation>%1; gerade: %2</translation>
        </message>
        <message>
            <source>Free space at the destination: unknown</source>
            <translation>Freier Speicherplatz am Ziel: unbekannt</translation>
        </message>
        <message>
            <source>Free space at the destination: %1</source>
            <translation>Freier Speicherplatz am Ziel: %1</translation>
        </message>
        <message>
            <source>Free space at %1: %2</source>
            <translation>Freier Speicherplatz in %1: %2</translation>
        </message>
        <message>
            <source>Cancelled %1. The files downloaded so far are kept for a resume.</source>
            <translation>Abruf von %1 abgebrochen. Die bisher heruntergeladenen Dateien bleiben für ein Fortsetzen erhalten.</translation>
        </message>
        <message>
            <source>The service refused: %1</source>
            <translation>Der Dienst hat abgelehnt: %1</translation>
        </message>
        <message>
            <source>Resuming %1.</source>
            <translation>Abruf von %1 wird fortgesetzt.</translation>
        </message>
        <message>
            <source>Remove %1 from the list? The published model stays where it is.</source>
            <translation>%1 aus der Liste entfernen? Das veröffentlichte Modell bleibt, wo es ist.</translation>
        </message>
        <message>
            <source>Remove %1 from the list and delete the files downloaded so far? It cannot be resumed afterwards.</source>
            <translation>%1 aus der Liste entfernen und die bisher heruntergeladenen Dateien löschen? Der Abruf kann danach nicht mehr fortgesetzt werden.</translation>
        </message>
        <message>
            <source>Remove the pull</source>
            <translation>Abruf entfernen</translation>
        </message>
        <message>
            <source>Removed %1.</source>
            <translation>Abruf von %1 entfernt.</translation>
        </message>
        <message>
            <source>Copied %1 to the clipboard.</source>
            <translation>%1 in die Zwischenablage kopiert.</translation>
        </message>
    </context>
    <context>
        <name>airlock::gui::PolicyPage</name>
        <message>
            <source>Audit log:</source>
            <translation>Audit-Protokoll:</translation>
        </message>
        <message>
            <source>never rotated</source>
            <translation>wird nie rotiert</translation>
        </message>
        <message numerus="yes">
            <source>rotated at %1, %n older file(s) kept</source>
            <translation>
                <numerusform>rotiert bei %1, %n ältere Datei bleibt</numerusform>
                <numerusform>rotiert bei %1, %n ältere Dateien bleiben</numerusform>
            </translation>
        </message>
        <message>
            <source>Egress budget:</source>
            <translation>Ausgangsbudget:</translation>
        </message>
        <message>
            <source>Sent in the last hour:</source>
            <translation>In der letzten Stunde gesendet:</translation>
        </message>
        <message>
            <source>%1: %2 of %3 (%4 %)</source>
            <translation>%1: %2 von %3 (%4 %)</translation>
        </message>
        <message>
            <source>%1: %2</source>
            <translation>%1: %2</translation>
        </message>
        <message>
            <source>nothing</source>
            <translation>nichts</translation>
        </message>
        <message>
            <source>%1 per destination host per hour (URL, headers and body)</source>
            <translation>%1 je Zielhost und Stunde (URL, Header und Inhalt)</translation>
        </message>
        <message>
            <source>Re&amp;load policy file</source>
            <translation>Richtliniendatei neu &amp;laden</translation>
        </message>
        <message>
            <source>Make the service reread its policy file</source>
            <translation>Den Dienst seine Richtliniendatei neu lesen lassen</translation>
        </message>
        <message>
            <source>An invalid file is refused and the policy in force stays.</source>
            <translation>Eine ungültige Datei wird abgelehnt; die geltende Richtlinie bleibt.</translation>
        </message>
        <message>
            <source>Policy file:</source>
            <translation>Richtliniendatei:</translation>
        </message>
        <message>
            <source>Allowed methods:</source>
            <translation>Erlaubte Methoden:</translation>
        </message>
        <message>
            <source>Allowlist entries:</source>
            <translation>Einträge der Positivliste:</translation>
        </message>
        <message>
            <source>Largest request body:</source>
            <translation>Größter Anfrageinhalt:</translation>
        </message>
        <message>
            <source>Largest response:</source>
            <translation>Größte Antwort:</translation>
        </message>
        <message>
            <source>Rate limit:</source>
            <translation>Ratenbegrenzung:</translation>
        </message>
        <message>
            <source>Scan for personal data:</source>
            <translation>Auf personenbezogene Daten prüfen:</translation>
        </message>
        <message>
            <source>Scan for credentials:</source>
            <translation>Auf Zugangsdaten prüfen:</translation>
        </message>
        <message>
            <source>Refused literals:</source>
            <translation>Abgelehnte Zeichenfolgen:</translation>
        </message>
        <message>
            <source>Custom patterns:</source>
            <translation>Eigene Muster:</translation>
        </message>
        <message>
            <source>Allowed credentials:</source>
            <translation>Erlaubte Zugangsdaten:</translation>
        </message>
        <message>
            <source>Administrators' group:</source>
            <translation>Gruppe der Administratoren:</translation>
        </message>
        <message>
            <source>Viewers' group:</source>
            <translation>Gruppe der Betrachter:</translation>
        </message>
        <message>
            <source>The service reread its policy file.</source>
            <translation>Der Dienst hat seine Richtliniendatei neu gelesen.</translation>
        </message>
        <message>
            <source>The service refused the reload: %1</source>
            <translation>Der Dienst hat das Neuladen abgelehnt: %1</translation>
        </message>
        <message>
            <source>The policy has not been received from the service yet.</source>
            <translation>Die Richtlinie wurde noch nicht vom Dienst empfangen.</translation>
        </message>
        <message>
            <source>The policy could not be read: %1</source>
            <translation>Die Richtlinie konnte nicht gelesen werden: %1</translation>
        </message>
        <message>
            <source>yes</source>
            <translation>ja</translation>
        </message>
        <message>
            <source>no</source>
            <translation>nein</translation>
        </message>
        <message>
            <source>unknown</source>
            <translation>unbekannt</translation>
        </message>
        <message numerus="yes">
            <source>%n entry(ies), edited on the Allowlist tab</source>
            <translation>
                <numerusform>%n Eintrag, bearbeitet im Reiter Positivliste</numerusform>
                <numerusform>%n Einträge, bearbeitet im Reiter Positivliste</numerusform>
            </translation>
        </message>
        <message>
            <source>unlimited</source>
            <translation>unbegrenzt</translation>
        </message>
        <message numerus="yes">
            <source>%n request(s) per minute</source>
            <translation>
                <numerusform>%n Anfrage pro Minute</numerusform>
                <numerusform>%n Anfragen pro Minute</numerusform>
            </translation>
        </message>
        <message>
            <source>none</source>
            <translation>keine</translation>
        </message>
        <message>
            <source>%1 (%2)</source>
            <translation>%1 (%2)</translation>
        </message>
        <message>
            <source>%1 to %2</source>
            <translation>%1 an %2</translation>
        </message>
    </context>
    <context>
        <name>airlock::gui::PullDialog</name>
        <message>
            <source>Revision</source>
            <translation>Revision</translation>
        </message>
        <message>
            <source>Total</source>
            <translation>Gesamt</translation>
        </message>
        <message>
            <source>Destination</source>
            <translation>Ziel</translation>
        </message>
        <message>
            <source>Free space at the destination</source>
            <translation>Freier Speicherplatz am Ziel</translation>
        </message>
        <message>
            <source>Pull a model</source>
            <translation>Modell abrufen</translation>
        </message>
        <message>
            <source>The Airlock downloads the model itself, checks every file against its digest and publishes it only when all of them are verified.</source>
            <translation>Die Airlock lädt das Modell selbst herunter, prüft jede Datei gegen ihre Prüfsumme und veröffentlicht es erst, wenn alle geprüft sind.</translation>
        </message>
        <message>
            <source>hf:ORG/REPO[@REVISION], a Hugging Face resolve URL, or ollama:NAME[:TAG]</source>
            <translation>hf:ORG/REPO[@REVISION], eine Hugging-Face-Resolve-URL oder ollama:NAME[:TAG]</translation>
        </message>
        <message>
            <source>Model source</source>
            <translation>Modellquelle</translation>
        </message>
        <message>
            <source>e.g. *.gguf config.json (empty: every file)</source>
            <translation>z. B. *.gguf config.json (leer: alle Dateien)</translation>
        </message>
        <message>
            <source>Include patterns</source>
            <translation>Einschlussmuster</translation>
        </message>
        <message>
            <source>e.g. *.bin, original/**</source>
            <translation>z. B. *.bin, original/**</translation>
        </message>
        <message>
            <source>Exclude patterns</source>
            <translation>Ausschlussmuster</translation>
        </message>
        <message>
            <source>Comma or space separated; for Hugging Face repositories only. '*' matches within a folder name, '**' across folders.</source>
            <translation>Durch Komma oder Leerzeichen getrennt; nur für Hugging-Face-Repositorys. '*' passt innerhalb eines Ordnernamens, '**' über Ordner hinweg.</translation>
        </message>
        <message>
            <source>Source check</source>
            <translation>Quellenprüfung</translation>
        </message>
        <message>
            <source>Why no pull can be started</source>
            <translation>Warum kein Abruf gestartet werden kann</translation>
        </message>
        <message>
            <source>The service's answer</source>
            <translation>Die Antwort des Dienstes</translation>
        </message>
        <message>
            <source>File</source>
            <translation>Datei</translation>
        </message>
        <message>
            <source>Size</source>
            <translation>Größe</translation>
        </message>
        <message>
            <source>Files the pull would download</source>
            <translation>Dateien, die der Abruf herunterladen würde</translation>
        </message>
        <message>
            <source>Pre&amp;view</source>
            <translation>&amp;Vorschau</translation>
        </message>
        <message>
            <source>Ask the service what this pull would download</source>
            <translation>Den Dienst fragen, was dieser Abruf herunterladen würde</translation>
        </message>
        <message>
            <source>Nothing is downloaded but the listing.</source>
            <translation>Nur die Dateiliste wird geladen, sonst nichts.</translation>
        </message>
        <message>
            <source>&amp;Start pull</source>
            <translation>Abruf &amp;starten</translation>
        </message>
        <message>
            <source>Start the pull</source>
            <translation>Den Abruf starten</translation>
        </message>
        <message>
            <source>&amp;Source:</source>
            <translation>&amp;Quelle:</translation>
        </message>
        <message>
            <source>&amp;Include:</source>
            <translation>&amp;Einschließen:</translation>
        </message>
        <message>
            <source>E&amp;xclude:</source>
            <translation>A&amp;usschließen:</translation>
        </message>
        <message>
            <source>Revision:</source>
            <translation>Revision:</translation>
        </message>
        <message>
            <source>Total:</source>
            <translation>Gesamt:</translation>
        </message>
        <message>
            <source>Destination:</source>
            <translation>Ziel:</translation>
        </message>
        <message>
            <source>Free space:</source>
            <translation>Freier Speicherplatz:</translation>
        </message>
        <message>
            <source>Not connected to the Airlock service.</source>
            <translation>Nicht mit dem Airlock-Dienst verbunden.</translation>
        </message>
        <message>
            <source>You are connected as a viewer: only administrators can pull models.</source>
            <translation>Sie sind als Betrachter verbunden: Nur Administratoren können Modelle abrufen.</translation>
        </message>
        <message>
            <source>Waiting for the service's state.</source>
            <translation>Warte auf den Zustand des Dienstes.</translation>
        </message>
        <message>
            <source>The Airlock is in lockdown: nothing can be pulled until it is unlocked.</source>
            <translation>Die Airlock ist gesperrt: Bis zum Entsperren kann nichts abgerufen werden.</translation>
        </message>
        <message>
            <source>The Airlock is off: switch it on to pull a model.</source>
            <translation>Die Airlock ist ausgeschaltet: Schalten Sie sie ein, um ein Modell abzurufen.</translation>
        </message>
        <message>
            <source>pattern "%1": %2</source>
            <translation>Muster „%1“: %2</translation>
        </message>
        <message>
            <source>Type a source: hf:ORG/REPO, a Hugging Face resolve URL or ollama:NAME.</source>
            <translation>Geben Sie eine Quelle ein: hf:ORG/REPO, eine Hugging-Face-Resolve-URL oder ollama:NAME.</translation>
        </message>
        <message>
            <source>Valid source.</source>
            <translation>Gültige Quelle.</translation>
        </message>
        <message>
            <source>Not valid: %1</source>
            <translation>Ungültig: %1</translation>
        </message>
        <message>
            <source>Preview shows what the pull would download.</source>
            <translation>Die Vorschau zeigt, was der Abruf herunterladen würde.</translation>
        </message>
        <message>
            <source>unknown</source>
            <translation>unbekannt</translation>
        </message>
        <message>
            <source>%1 %2</source>
            <translation>%1 %2</translation>
        </message>
        <message>
            <source>1 file, %1</source>
            <translation>1 Datei, %1</translation>
        </message>
        <message>
            <source>%1 files, %2</source>
            <translation>%1 Dateien, %2</translation>
        </message>
        <message>
            <source>%1, less than the %2 this model needs.</source>
            <translation>%1, weniger als die %2, die dieses Modell braucht.</translation>
        </message>
        <message>
            <source>Asking the service for the plan…</source>
            <translation>Der Dienst wird nach dem Plan gefragt …</translation>
        </message>
        <message>
            <source>The service refused: %1</source>
            <translation>Der Dienst hat abgelehnt: %1</translation>
        </message>
        <message>
            <source>Starting the pull…</source>
            <translation>Der Abruf wird gestartet …</translation>
        </message>
    </context>
    <context>
        <name>airlock::gui::PullListModel</name>
        <message>
            <source>%1 of %2</source>
            <translation>%1 von %2</translation>
        </message>
        <message>
            <source>%1
%2</source>
            <translation>%1
%2</translation>
        </message>
        <message>
            <source>%1
%2 %3</source>
            <translation>%1
%2 %3</translation>
        </message>
        <message>
            <source>Model</source>
            <translation>Modell</translation>
        </message>
        <message>
            <source>Progress</source>
            <translation>Fortschritt</translation>
        </message>
        <message>
            <source>Rate</source>
            <translation>Rate</translation>
        </message>
        <message>
            <source>Time left</source>
            <translation>Restzeit</translation>
        </message>
        <message>
            <source>Files verified</source>
            <translation>Geprüfte Dateien</translation>
        </message>
        <message>
            <source>State</source>
            <translation>Zustand</translation>
        </message>
        <message>
            <source>Waiting</source>
            <translation>Wartet</translation>
        </message>
        <message>
            <source>Downloading</source>
            <translation>Lädt herunter</translation>
        </message>
        <message>
            <source>Publishing</source>
            <translation>Wird veröffentlicht</translation>
        </message>
        <message>
            <source>Published</source>
            <translation>Veröffentlicht</translation>
        </message>
        <message>
            <source>Failed</source>
            <translation>Fehlgeschlagen</translation>
        </message>
        <message>
            <source>Cancelled</source>
            <translation>Abgebrochen</translation>
        </message>
        <message>
            <source>Stopped</source>
            <translation>Angehalten</translation>
        </message>
        <message>
            <source>Interrupted</source>
            <translation>Unterbrochen</translation>
        </message>
        <message>
            <source>unknown</source>
            <translation>unbekannt</translation>
        </message>
        <message>
            <source>Waiting for its turn: only a few pulls download at once.</source>
            <translation>Wartet, bis er an der Reihe ist: Nur wenige Abrufe laden gleichzeitig herunter.</translation>
        </message>
        <message>
            <source>Every file is checked against its digest as it arrives.</source>
            <translation>Jede Datei wird beim Eintreffen gegen ihre Prüfsumme geprüft.</translation>
        </message>
        <message>
            <source>Every file is verified; the model is being moved into place.</source>
            <translation>Alle Dateien sind geprüft; das Modell wird an seinen Platz verschoben.</translation>
        </message>
        <message>
            <source>Every file was verified and the model is in place.</source>
            <translation>Alle Dateien wurden geprüft und das Modell ist an seinem Platz.</translation>
        </message>
        <message>
            <source>Nothing was published.</source>
            <translation>Es wurde nichts veröffentlicht.</translation>
        </message>
        <message>
            <source>The files downloaded so far are kept for a resume.</source>
            <translation>Die bisher heruntergeladenen Dateien bleiben für ein Fortsetzen erhalten.</translation>
        </message>
        <message>
            <source>The Airlock was switched off or locked down; the files so far are kept for a resume.</source>
            <translation>Die Airlock wurde ausgeschaltet oder gesperrt; die bisherigen Dateien bleiben für ein Fortsetzen erhalten.</translation>
        </message>
        <message>
            <source>The service stopped while this pull ran; Resume continues where it stopped.</source>
            <translation>Der Dienst wurde während dieses Abrufs beendet; „Fortsetzen“ macht dort weiter, wo er stehen blieb.</translation>
        </message>
        <message>
            <source>not found</source>
            <translation>nicht gefunden</translation>
        </message>
        <message>
            <source>%1: %2</source>
            <translation>%1: %2</translation>
        </message>
        <message>
            <source>%1 of 1 file verified</source>
            <translation>%1 von 1 Datei geprüft</translation>
        </message>
        <message>
            <source>%1 of %2 files verified</source>
            <translation>%1 von %2 Dateien geprüft</translation>
        </message>
        <message>
            <source>verified</source>
            <translation>geprüft</translation>
        </message>
        <message>
            <source>verified (%1)</source>
            <translation>geprüft (%1)</translation>
        </message>
        <message>
            <source>failed: %1</source>
            <translation>fehlgeschlagen: %1</translation>
        </message>
        <message>
            <source>downloading</source>
            <translation>wird heruntergeladen</translation>
        </message>
        <message>
            <source>waiting</source>
            <translation>wartet</translation>
        </message>
        <message>
            <source>partly downloaded</source>
            <translation>teilweise heruntergeladen</translation>
        </message>
        <message>
            <source>not downloaded</source>
            <translation>nicht heruntergeladen</translation>
        </message>
    </context>
    <context>
        <name>airlock::gui::StateHeader</name>
        <message>
            <source>State icon: %1</source>
            <translation>Zustandssymbol: %1</translation>
        </message>
        <message>
            <source>Reason: %1</source>
            <translation>Grund: %1</translation>
        </message>
        <message>
            <source>(Switched on, but the lockdown overrides it.)</source>
            <translation>(Eingeschaltet, aber die Sperre hat Vorrang.)</translation>
        </message>
        <message>
            <source>Airlock state: %1</source>
            <translation>Airlock-Zustand: %1</translation>
        </message>
        <message>
            <source>&amp;Turn off</source>
            <translation>&amp;Ausschalten</translation>
        </message>
        <message>
            <source>&amp;Turn on</source>
            <translation>&amp;Einschalten</translation>
        </message>
        <message>
            <source>Turn the Airlock off</source>
            <translation>Die Airlock ausschalten</translation>
        </message>
        <message>
            <source>Turn the Airlock on</source>
            <translation>Die Airlock einschalten</translation>
        </message>
        <message>
            <source>Only administrators can change this.</source>
            <translation>Nur Administratoren können das ändern.</translation>
        </message>
        <message>
            <source>&amp;Lockdown…</source>
            <translation>&amp;Sperren …</translation>
        </message>
        <message>
            <source>Lock down the Airlock</source>
            <translation>Die Airlock sperren</translation>
        </message>
        <message>
            <source>Refuse every request at once, whatever else is set.</source>
            <translation>Sofort jede Anfrage ablehnen, unabhängig von allen anderen Einstellungen.</translation>
        </message>
        <message>
            <source>&amp;Unlock…</source>
            <translation>E&amp;ntsperren …</translation>
        </message>
        <message>
            <source>Unlock the Airlock</source>
            <translation>Die Airlock entsperren</translation>
        </message>
        <message>
            <source>End the lockdown.</source>
            <translation>Die Sperre aufheben.</translation>
        </message>
        <message>
            <source>Only administrators can end a lockdown.</source>
            <translation>Nur Administratoren können eine Sperre aufheben.</translation>
        </message>
    </context>
    <context>
        <name>airlock::gui::StateLook</name>
        <message>
            <source>Enabled</source>
            <translation>Aktiviert</translation>
        </message>
        <message>
            <source>Requests to allowlisted hosts are checked and let through.</source>
            <translation>Anfragen an Hosts der Positivliste werden geprüft und durchgelassen.</translation>
        </message>
        <message>
            <source>Lockdown</source>
            <translation>Sperre</translation>
        </message>
        <message>
            <source>Every request is refused until an administrator unlocks the Airlock.</source>
            <translation>Jede Anfrage wird abgelehnt, bis ein Administrator die Airlock entsperrt.</translation>
        </message>
        <message>
            <source>Not connected</source>
            <translation>Nicht verbunden</translation>
        </message>
        <message>
            <source>The panel cannot reach the Airlock service.</source>
            <translation>Die Verwaltung erreicht den Airlock-Dienst nicht.</translation>
        </message>
        <message>
            <source>Disabled</source>
            <translation>Deaktiviert</translation>
        </message>
        <message>
            <source>The appliance stays air-gapped: every request is refused.</source>
            <translation>Das Gerät bleibt vom Netz getrennt: Jede Anfrage wird abgelehnt.</translation>
        </message>
    </context>
    <context>
        <name>airlock::gui::TransferList</name>
        <message>
            <source>Model pull: %1 from %2</source>
            <translation>Modellabruf: %1 von %2</translation>
        </message>
        <message>
            <source>%1 %2%3</source>
            <translation>%1 %2%3</translation>
        </message>
        <message>
            <source>%1 of %2</source>
            <translation>%1 von %2</translation>
        </message>
        <message>
            <source>Finished: %1 in %2</source>
            <translation>Fertig: %1 in %2</translation>
        </message>
        <message>
            <source>Ended (%1) after %2</source>
            <translation>Beendet (%1) nach %2</translation>
        </message>
        <message>
            <source>%1 · %2</source>
            <translation>%1 · %2</translation>
        </message>
        <message>
            <source>%1 · %2 · %3 left</source>
            <translation>%1 · %2 · noch %3</translation>
        </message>
    </context>
    <context>
        <name>airlock::gui::TransferRow</name>
        <message>
            <source>%1 %</source>
            <translation>%1 %</translation>
        </message>
        <message>
            <source>Progress of %1</source>
            <translation>Fortschritt von %1</translation>
        </message>
    </context>
    <context>
        <name>airlock::gui::TransfersPage</name>
        <message>
            <source>No downloads in progress.</source>
            <translation>Keine laufenden Downloads.</translation>
        </message>
        <message>
            <source>Transfers</source>
            <translation>Übertragungen</translation>
        </message>
        <message numerus="yes">
            <source>%n active download(s), %1 in total</source>
            <translation>
                <numerusform>%n laufender Download, insgesamt %1</numerusform>
                <numerusform>%n laufende Downloads, insgesamt %1</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>main</name>
        <message>
            <source>Admin panel of the Secure AI Airlock egress proxy.</source>
            <translation>Verwaltung des Egress-Proxys Secure AI Airlock.</translation>
        </message>
        <message>
            <source>Full-screen read-only status board.</source>
            <translation>Statustafel im Vollbild, nur lesend.</translation>
        </message>
        <message>
            <source>Language (de, fr, en); default: the system's.</source>
            <translation>Sprache (de, fr, en); Vorgabe: die des Systems.</translation>
        </message>
        <message>
            <source>The service's admin socket.</source>
            <translation>Der Verwaltungs-Socket des Dienstes.</translation>
        </message>
        <message>
            <source>With --kiosk: a window, not full screen.</source>
            <translation>Mit --kiosk: ein Fenster statt Vollbild.</translation>
        </message>
    </context>
</TS>
