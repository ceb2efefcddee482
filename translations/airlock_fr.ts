<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
    <context>
        <name>airlock::gui::ActivityModel</name>
        <message>
            <source>Caller</source>
            <translation>Appelant</translation>
        </message>
        <message>
            <source>Pull</source>
            <translation>Téléchargement</translation>
        </message>
        <message>
            <source>model pull started</source>
            <translation>téléchargement de modèle commencé</translation>
        </message>
        <message>
            <source>model pull ended</source>
            <translation>téléchargement de modèle terminé</translation>
        </message>
        <message>
            <source>model pull ended: %1</source>
            <translation>téléchargement de modèle terminé : %1</translation>
        </message>
        <message>
            <source>unknown reason</source>
            <translation>raison inconnue</translation>
        </message>
        <message>
            <source>allowed</source>
            <translation>autorisé</translation>
        </message>
        <message>
            <source>malformed request</source>
            <translation>requête mal formée</translation>
        </message>
        <message>
            <source>missing or invalid service token</source>
            <translation>jeton de service absent ou invalide</translation>
        </message>
        <message>
            <source>no such endpoint</source>
            <translation>point d'accès inconnu</translation>
        </message>
        <message>
            <source>wrong method for the endpoint</source>
            <translation>méthode incorrecte pour ce point d'accès</translation>
        </message>
        <message>
            <source>Airlock disabled</source>
            <translation>Airlock désactivée</translation>
        </message>
        <message>
            <source>lockdown</source>
            <translation>verrouillage</translation>
        </message>
        <message>
            <source>rate limit</source>
            <translation>limite de débit</translation>
        </message>
        <message>
            <source>HTTPS required</source>
            <translation>HTTPS obligatoire</translation>
        </message>
        <message>
            <source>not on the allowlist</source>
            <translation>absent de la liste d'autorisation</translation>
        </message>
        <message>
            <source>method not allowed</source>
            <translation>méthode non autorisée</translation>
        </message>
        <message>
            <source>reserved address</source>
            <translation>adresse réservée</translation>
        </message>
        <message>
            <source>credential detected</source>
            <translation>identifiants détectés</translation>
        </message>
        <message>
            <source>personal data detected</source>
            <translation>données personnelles détectées</translation>
        </message>
        <message>
            <source>content blocked</source>
            <translation>contenu bloqué</translation>
        </message>
        <message>
            <source>could not be inspected</source>
            <translation>inspection impossible</translation>
        </message>
        <message>
            <source>request too large</source>
            <translation>requête trop volumineuse</translation>
        </message>
        <message>
            <source>response too large</source>
            <translation>réponse trop volumineuse</translation>
        </message>
        <message>
            <source>audit log unavailable</source>
            <translation>journal d'audit indisponible</translation>
        </message>
        <message>
            <source>busy</source>
            <translation>occupé</translation>
        </message>
        <message>
            <source>upstream unreachable</source>
            <translation>serveur distant injoignable</translation>
        </message>
        <message>
            <source>upstream TLS error</source>
            <translation>erreur TLS du serveur distant</translation>
        </message>
        <message>
            <source>upstream timeout</source>
            <translation>délai dépassé côté serveur distant</translation>
        </message>
        <message>
            <source>upstream failed</source>
            <translation>échec du serveur distant</translation>
        </message>
        <message>
            <source>too many redirects</source>
            <translation>trop de redirections</translation>
        </message>
        <message>
            <source>not possible in this state</source>
            <translation>impossible dans cet état</translation>
        </message>
        <message>
            <source>not enough disk space</source>
            <translation>espace disque insuffisant</translation>
        </message>
        <message>
            <source>unsafe file path</source>
            <translation>chemin de fichier dangereux</translation>
        </message>
        <message>
            <source>malformed file list</source>
            <translation>liste de fichiers mal formée</translation>
        </message>
        <message>
            <source>digest mismatch</source>
            <translation>empreinte non conforme</translation>
        </message>
        <message>
            <source>request from a web page</source>
            <translation>requête d’une page web</translation>
        </message>
        <message>
            <source>hourly upload budget spent</source>
            <translation>budget horaire d’envoi épuisé</translation>
        </message>
        <message>
            <source>published</source>
            <translation>publié</translation>
        </message>
        <message>
            <source>failed</source>
            <translation>échoué</translation>
        </message>
        <message>
            <source>cancelled</source>
            <translation>annulé</translation>
        </message>
        <message>
            <source>stopped</source>
            <translation>arrêté</translation>
        </message>
        <message>
            <source>unknown outcome</source>
            <translation>issue inconnue</translation>
        </message>
        <message>
            <source>complete</source>
            <translation>terminé</translation>
        </message>
        <message>
            <source>refused by the Airlock</source>
            <translation>refusé par l'Airlock</translation>
        </message>
        <message>
            <source>cut by the lockdown</source>
            <translation>interrompu par le verrouillage</translation>
        </message>
        <message>
            <source>cut: the client read too slowly</source>
            <translation>interrompu : le client lisait trop lentement</translation>
        </message>
        <message>
            <source>cancelled by the client</source>
            <translation>annulé par le client</translation>
        </message>
        <message>
            <source>Allowed</source>
            <translation>Autorisé</translation>
        </message>
        <message>
            <source>Blocked</source>
            <translation>Bloqué</translation>
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
            <translation>Heure</translation>
        </message>
        <message>
            <source>Decision</source>
            <translation>Décision</translation>
        </message>
        <message>
            <source>Method</source>
            <translation>Méthode</translation>
        </message>
        <message>
            <source>Host</source>
            <translation>Hôte</translation>
        </message>
        <message>
            <source>Path</source>
            <translation>Chemin</translation>
        </message>
        <message>
            <source>Reason or rule</source>
            <translation>Motif ou règle</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Statut</translation>
        </message>
        <message>
            <source>Bytes</source>
            <translation>Octets</translation>
        </message>
    </context>
    <context>
        <name>airlock::gui::ActivityPage</name>
        <message>
            <source>&amp;Copy row</source>
            <translation>&amp;Copier la ligne</translation>
        </message>
        <message>
            <source>All decisions</source>
            <translation>Toutes les décisions</translation>
        </message>
        <message>
            <source>Allowed only</source>
            <translation>Autorisées seulement</translation>
        </message>
        <message>
            <source>Blocked only</source>
            <translation>Bloquées seulement</translation>
        </message>
        <message>
            <source>Show decisions</source>
            <translation>Décisions affichées</translation>
        </message>
        <message>
            <source>Host contains…</source>
            <translation>L'hôte contient…</translation>
        </message>
        <message>
            <source>Filter by host</source>
            <translation>Filtrer par hôte</translation>
        </message>
        <message>
            <source>Search method, path, code, rule…</source>
            <translation>Chercher méthode, chemin, code, règle…</translation>
        </message>
        <message>
            <source>Filter by text</source>
            <translation>Filtrer par texte</translation>
        </message>
        <message>
            <source>Copy the selected row</source>
            <translation>Copier la ligne sélectionnée</translation>
        </message>
        <message>
            <source>Copy the selected row as tab-separated text (Ctrl+C)</source>
            <translation>Copier la ligne sélectionnée en texte séparé par des tabulations (Ctrl+C)</translation>
        </message>
        <message>
            <source>Today's counters</source>
            <translation>Compteurs du jour</translation>
        </message>
        <message>
            <source>&amp;Show:</source>
            <translation>&amp;Afficher :</translation>
        </message>
        <message>
            <source>Decisions, newest first</source>
            <translation>Décisions, les plus récentes en premier</translation>
        </message>
        <message>
            <source>Copy row</source>
            <translation>Copier la ligne</translation>
        </message>
        <message>
            <source>Today: %1 allowed, %2 blocked, %3 delivered</source>
            <translation>Aujourd'hui : %1 autorisées, %2 bloquées, %3 transférés</translation>
        </message>
        <message>
            <source>%1 of %2 rows shown (newest %3 kept)</source>
            <translation>%1 lignes affichées sur %2 (les %3 plus récentes sont conservées)</translation>
        </message>
        <message>
            <source>&amp;Resume (%1 new)</source>
            <translation>&amp;Reprendre (%1 nouvelles)</translation>
        </message>
        <message>
            <source>&amp;Resume</source>
            <translation>&amp;Reprendre</translation>
        </message>
        <message>
            <source>Resume the live table</source>
            <translation>Reprendre le tableau en direct</translation>
        </message>
        <message>
            <source>&amp;Pause</source>
            <translation>&amp;Pause</translation>
        </message>
        <message>
            <source>Pause the live table</source>
            <translation>Mettre le tableau en direct en pause</translation>
        </message>
    </context>
    <context>
        <name>airlock::gui::AllowlistModel</name>
        <message>
            <source>direct</source>
            <translation>direct</translation>
        </message>
        <message>
            <source>Only via</source>
            <translation>Seulement via</translation>
        </message>
        <message>
            <source>Clients may ask for this destination directly</source>
            <translation>Les clients peuvent demander cette destination directement</translation>
        </message>
        <message>
            <source>Reached only when %1 redirects a download here; a direct request is refused</source>
            <translation>Atteinte seulement quand %1 redirige un téléchargement ici ; une requête directe est refusée</translation>
        </message>
        <message>
            <source>policy default</source>
            <translation>valeur de la politique</translation>
        </message>
        <message>
            <source>Exactly this host, HTTPS on port 443, any path</source>
            <translation>Exactement cet hôte, HTTPS sur le port 443, tout chemin</translation>
        </message>
        <message>
            <source>Any subdomain of %1 (not %1 itself), HTTPS on port 443</source>
            <translation>Tout sous-domaine de %1 (pas %1 lui-même), HTTPS sur le port 443</translation>
        </message>
        <message>
            <source>Host %1, port %2, paths under %3</source>
            <translation>Hôte %1, port %2, chemins sous %3</translation>
        </message>
        <message>
            <source>Destination</source>
            <translation>Destination</translation>
        </message>
        <message>
            <source>Methods</source>
            <translation>Méthodes</translation>
        </message>
        <message>
            <source>unknown method: %1</source>
            <translation>méthode inconnue : %1</translation>
        </message>
        <message>
            <source>Enter a host, *.domain or https:// URL prefix.</source>
            <translation>Saisissez un hôte, *.domaine ou un préfixe d’URL https://.</translation>
        </message>
        <message>
            <source>%1 is already on the allowlist.</source>
            <translation>%1 figure déjà dans la liste d'autorisation.</translation>
        </message>
        <message>
            <source>No entry selected.</source>
            <translation>Aucune entrée sélectionnée.</translation>
        </message>
    </context>
    <context>
        <name>airlock::gui::AllowlistPage</name>
        <message>
            <source>empty: clients may ask for it directly; or e.g. huggingface.co</source>
            <translation>vide : les clients peuvent la demander directement ; ou p. ex. huggingface.co</translation>
        </message>
        <message>
            <source>Origins whose redirects alone lead to this entry</source>
            <translation>Origines dont les seules redirections mènent à cette entrée</translation>
        </message>
        <message>
            <source>For shared storage and CDN hosts: reached only when one of these origins redirects a download there, so no client can send data straight to a bucket.</source>
            <translation>Pour les hôtes de stockage partagé et de CDN : atteints seulement quand l’une de ces origines y redirige un téléchargement, afin qu’aucun client ne puisse envoyer des données directement à un bucket.</translation>
        </message>
        <message>
            <source>Only v&amp;ia:</source>
            <translation>Seulement v&amp;ia :</translation>
        </message>
        <message>
            <source>&amp;Add</source>
            <translation>&amp;Ajouter</translation>
        </message>
        <message>
            <source>Re&amp;place selected</source>
            <translation>Rem&amp;placer la sélection</translation>
        </message>
        <message>
            <source>Re&amp;move selected</source>
            <translation>&amp;Supprimer la sélection</translation>
        </message>
        <message>
            <source>Re&amp;vert</source>
            <translation>Ann&amp;uler</translation>
        </message>
        <message>
            <source>A&amp;pply</source>
            <translation>A&amp;ppliquer</translation>
        </message>
        <message>
            <source>Allowlist entries</source>
            <translation>Entrées de la liste d'autorisation</translation>
        </message>
        <message>
            <source>huggingface.co, *.hf.co or https://registry.ollama.ai/v2/</source>
            <translation>huggingface.co, *.hf.co ou https://registry.ollama.ai/v2/</translation>
        </message>
        <message>
            <source>Allowlist entry</source>
            <translation>Entrée de la liste d'autorisation</translation>
        </message>
        <message>
            <source>empty: the policy's methods; or e.g. GET, HEAD</source>
            <translation>vide : méthodes de la politique ; ou p. ex. GET, HEAD</translation>
        </message>
        <message>
            <source>Methods for this entry</source>
            <translation>Méthodes pour cette entrée</translation>
        </message>
        <message>
            <source>Entry check</source>
            <translation>Vérification de l'entrée</translation>
        </message>
        <message>
            <source>Result of the last change</source>
            <translation>Résultat de la dernière modification</translation>
        </message>
        <message>
            <source>You are connected as a viewer: the allowlist is read only.</source>
            <translation>Vous êtes connecté en lecture seule : la liste d'autorisation n'est pas modifiable.</translation>
        </message>
        <message>
            <source>Add the entry to the list</source>
            <translation>Ajouter l'entrée à la liste</translation>
        </message>
        <message>
            <source>Replace the selected entry with the one typed</source>
            <translation>Remplacer l'entrée sélectionnée par celle saisie</translation>
        </message>
        <message>
            <source>Remove the selected entry</source>
            <translation>Supprimer l'entrée sélectionnée</translation>
        </message>
        <message>
            <source>Discard the changes not yet applied</source>
            <translation>Abandonner les modifications non appliquées</translation>
        </message>
        <message>
            <source>Apply the changed allowlist to the service</source>
            <translation>Appliquer la liste d'autorisation modifiée au service</translation>
        </message>
        <message>
            <source>Sends the whole list as one change; the service validates and saves it.</source>
            <translation>Envoie toute la liste en une seule modification ; le service la valide et l’enregistre.</translation>
        </message>
        <message>
            <source>&amp;Entry:</source>
            <translation>&amp;Entrée :</translation>
        </message>
        <message>
            <source>&amp;Methods:</source>
            <translation>&amp;Méthodes :</translation>
        </message>
        <message>
            <source>Valid entry.</source>
            <translation>Entrée valide.</translation>
        </message>
        <message>
            <source>Not valid: %1</source>
            <translation>Non valide : %1</translation>
        </message>
        <message>
            <source>Added locally. Apply sends the list to the service.</source>
            <translation>Ajoutée localement. « Appliquer » envoie la liste au service.</translation>
        </message>
        <message>
            <source>Changed locally. Apply sends the list to the service.</source>
            <translation>Modifiée localement. « Appliquer » envoie la liste au service.</translation>
        </message>
        <message>
            <source>Removed locally. Apply sends the list to the service.</source>
            <translation>Supprimée localement. « Appliquer » envoie la liste au service.</translation>
        </message>
        <message>
            <source>Applying…</source>
            <translation>Application…</translation>
        </message>
        <message>
            <source>Applied. The service saved the new allowlist.</source>
            <translation>Appliqué. Le service a enregistré la nouvelle liste d'autorisation.</translation>
        </message>
        <message>
            <source>The service refused the change: %1</source>
            <translation>Le service a refusé la modification : %1</translation>
        </message>
    </context>
    <context>
        <name>airlock::gui::ConnectionBanner</name>
        <message>
            <source>&amp;Retry now</source>
            <translation>&amp;Réessayer maintenant</translation>
        </message>
        <message>
            <source>Retry connecting to the Airlock service now</source>
            <translation>Réessayer maintenant de joindre le service Airlock</translation>
        </message>
        <message>
            <source>Connection problem</source>
            <translation>Problème de connexion</translation>
        </message>
        <message>
            <source>Connecting to the Airlock service…</source>
            <translation>Connexion au service Airlock…</translation>
        </message>
        <message>
            <source>Socket: %1</source>
            <translation>Socket : %1</translation>
        </message>
        <message>
            <source>The Airlock service is not reachable.</source>
            <translation>Le service Airlock n'est pas joignable.</translation>
        </message>
        <message>
            <source>The panel could not connect to %1 (%2).
Check that the service is running: systemctl status secure-ai-airlock. Start it with: sudo systemctl start secure-ai-airlock.
The panel reconnects by itself as soon as the service answers.</source>
            <translation>Le panneau n'a pas pu se connecter à %1 (%2).
Vérifiez que le service tourne : systemctl status secure-ai-airlock. Démarrez-le avec : sudo systemctl start secure-ai-airlock.
Le panneau se reconnecte tout seul dès que le service répond.</translation>
        </message>
        <message>
            <source>no answer</source>
            <translation>pas de réponse</translation>
        </message>
        <message>
            <source>The Airlock service refused this panel.</source>
            <translation>Le service Airlock a refusé ce panneau.</translation>
        </message>
        <message>
            <source>The service said: %1
Only root, the service account and members of the administrators' or viewers' group (secure-ai-admin by default) may use the panel. Ask an administrator to add your account, log in again, then retry.</source>
            <translation>Le service indique : %1
Seuls root, le compte du service et les membres du groupe des administrateurs ou des observateurs (secure-ai-admin par défaut) peuvent utiliser le panneau. Demandez à un administrateur d'ajouter votre compte, reconnectez-vous, puis réessayez.</translation>
        </message>
    </context>
    <context>
        <name>airlock::gui::Format</name>
        <message>
            <source>0 B/s</source>
            <translation>0 o/s</translation>
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
            <translation>Téléchargements de modèles</translation>
        </message>
        <message numerus="yes">
            <source>… and %n more model pull(s)</source>
            <translation>
                <numerusform>… et %n autre téléchargement de modèle</numerusform>
                <numerusform>… et %n autres téléchargements de modèles</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>airlock::gui::KioskPullRow</name>
        <message>
            <source>%1 % · %2 left</source>
            <translation>%1 % · %2 restantes</translation>
        </message>
        <message>
            <source>%1 %</source>
            <translation>%1 %</translation>
        </message>
        <message>
            <source>%1 of %2</source>
            <translation>%1 sur %2</translation>
        </message>
        <message>
            <source>%1 of %2 files verified</source>
            <translation>%1 fichiers vérifiés sur %2</translation>
        </message>
        <message>
            <source>Progress of %1</source>
            <translation>Progression de %1</translation>
        </message>
        <message>
            <source>Model pull %1: %2</source>
            <translation>Téléchargement du modèle %1 : %2</translation>
        </message>
    </context>
    <context>
        <name>airlock::gui::KioskWindow</name>
        <message>
            <source>Secure AI Airlock — status</source>
            <translation>Secure AI Airlock — état</translation>
        </message>
        <message>
            <source>Airlock status board</source>
            <translation>Tableau d'état de l'Airlock</translation>
        </message>
        <message>
            <source>Allowed today</source>
            <translation>Autorisées aujourd'hui</translation>
        </message>
        <message>
            <source>Blocked today</source>
            <translation>Bloquées aujourd'hui</translation>
        </message>
        <message>
            <source>Delivered today</source>
            <translation>Transférés aujourd'hui</translation>
        </message>
        <message>
            <source>Last decisions</source>
            <translation>Dernières décisions</translation>
        </message>
        <message>
            <source>Downloads</source>
            <translation>Téléchargements</translation>
        </message>
        <message>
            <source>Reason: %1</source>
            <translation>Motif : %1</translation>
        </message>
        <message>
            <source>Service not reachable — last known state shown. Reconnecting…</source>
            <translation>Service injoignable — dernier état connu affiché. Reconnexion…</translation>
        </message>
        <message>
            <source>Waiting for the Airlock service…</source>
            <translation>En attente du service Airlock…</translation>
        </message>
        <message>
            <source>Airlock state: %1</source>
            <translation>État de l'Airlock : %1</translation>
        </message>
        <message>
            <source>Allowed</source>
            <translation>Autorisé</translation>
        </message>
        <message>
            <source>Blocked</source>
            <translation>Bloqué</translation>
        </message>
        <message>
            <source>%1  %2  %3 %4</source>
            <translation>%1  %2  %3 %4</translation>
        </message>
        <message>
            <source>%1 — %2</source>
            <translation>%1 — %2</translation>
        </message>
    </context>
    <context>
        <name>airlock::gui::LockdownDialog</name>
        <message>
            <source>Lock down the Airlock</source>
            <translation>Verrouiller l'Airlock</translation>
        </message>
        <message>
            <source>A lockdown refuses every request at once, whatever else is set, and stays in force across restarts until an administrator unlocks the Airlock.</source>
            <translation>Un verrouillage refuse immédiatement toute requête, quels que soient les autres réglages, et reste en vigueur après un redémarrage jusqu'à ce qu'un administrateur déverrouille l'Airlock.</translation>
        </message>
        <message>
            <source>e.g. suspicious traffic, incident 42</source>
            <translation>p. ex. trafic suspect, incident 42</translation>
        </message>
        <message>
            <source>Reason for the lockdown</source>
            <translation>Motif du verrouillage</translation>
        </message>
        <message>
            <source>&amp;Lock down</source>
            <translation>&amp;Verrouiller</translation>
        </message>
        <message>
            <source>Confirm the lockdown</source>
            <translation>Confirmer le verrouillage</translation>
        </message>
        <message>
            <source>&amp;Reason:</source>
            <translation>&amp;Motif :</translation>
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
            <translation>&amp;Activité</translation>
        </message>
        <message>
            <source>T&amp;ransfers</source>
            <translation>&amp;Transferts</translation>
        </message>
        <message>
            <source>&amp;Models</source>
            <translation>&amp;Modèles</translation>
        </message>
        <message>
            <source>Allow&amp;list</source>
            <translation>&amp;Liste d'autorisation</translation>
        </message>
        <message>
            <source>P&amp;olicy</source>
            <translation>P&amp;olitique</translation>
        </message>
        <message>
            <source>Views</source>
            <translation>Vues</translation>
        </message>
        <message>
            <source>T&amp;ransfers (%1)</source>
            <translation>&amp;Transferts (%1)</translation>
        </message>
        <message>
            <source>&amp;Models (%1)</source>
            <translation>&amp;Modèles (%1)</translation>
        </message>
        <message>
            <source>Connected as administrator</source>
            <translation>Connecté en tant qu’administrateur</translation>
        </message>
        <message>
            <source>Connected as viewer (read only)</source>
            <translation>Connecté en observateur (lecture seule)</translation>
        </message>
        <message>
            <source>Not connected</source>
            <translation>Non connecté</translation>
        </message>
        <message>
            <source>Today: %1 allowed · %2 blocked · %3 delivered</source>
            <translation>Aujourd'hui : %1 autorisées · %2 bloquées · %3 transférés</translation>
        </message>
        <message>
            <source>The Airlock is on.</source>
            <translation>L'Airlock est activée.</translation>
        </message>
        <message>
            <source>The Airlock is off.</source>
            <translation>L'Airlock est désactivée.</translation>
        </message>
        <message>
            <source>The service refused: %1</source>
            <translation>Le service a refusé : %1</translation>
        </message>
        <message>
            <source>Lockdown in force.</source>
            <translation>Verrouillage en vigueur.</translation>
        </message>
        <message>
            <source>Unlock the Airlock</source>
            <translation>Déverrouiller l'Airlock</translation>
        </message>
        <message>
            <source>End the lockdown? The Airlock then lets requests through again if it is switched on.</source>
            <translation>Lever le verrouillage ? L'Airlock laisse alors de nouveau passer les requêtes si elle est activée.</translation>
        </message>
        <message>
            <source>Lockdown ended.</source>
            <translation>Verrouillage levé.</translation>
        </message>
    </context>
    <context>
        <name>airlock::gui::ModelsPage</name>
        <message>
            <source>Not removed: %1 changed while you were asked.</source>
            <translation>Non supprimé : %1 a changé pendant la question.</translation>
        </message>
        <message>
            <source>&amp;Pull a model…</source>
            <translation>&amp;Récupérer un modèle…</translation>
        </message>
        <message>
            <source>Selected pull</source>
            <translation>Récupération sélectionnée</translation>
        </message>
        <message>
            <source>Select a pull to see its details.</source>
            <translation>Sélectionnez une récupération pour en voir le détail.</translation>
        </message>
        <message>
            <source>Source</source>
            <translation>Source</translation>
        </message>
        <message>
            <source>Revision</source>
            <translation>Révision</translation>
        </message>
        <message>
            <source>State</source>
            <translation>État</translation>
        </message>
        <message>
            <source>Verification</source>
            <translation>Vérification</translation>
        </message>
        <message>
            <source>Cop&amp;y path</source>
            <translation>Copier le c&amp;hemin</translation>
        </message>
        <message>
            <source>Why it failed</source>
            <translation>Raison de l'échec</translation>
        </message>
        <message>
            <source>&amp;Cancel pull</source>
            <translation>Ann&amp;uler la récupération</translation>
        </message>
        <message>
            <source>R&amp;esume</source>
            <translation>R&amp;eprendre</translation>
        </message>
        <message>
            <source>Remo&amp;ve…</source>
            <translation>&amp;Supprimer…</translation>
        </message>
        <message>
            <source>Pull a model</source>
            <translation>Récupérer un modèle</translation>
        </message>
        <message>
            <source>Download a model from Hugging Face or the Ollama registry through the Airlock.</source>
            <translation>Télécharger un modèle depuis Hugging Face ou le registre Ollama à travers l'Airlock.</translation>
        </message>
        <message>
            <source>Why no pull can be started</source>
            <translation>Pourquoi aucune récupération ne peut être lancée</translation>
        </message>
        <message>
            <source>Free space at the destination</source>
            <translation>Espace libre à la destination</translation>
        </message>
        <message>
            <source>Model pulls</source>
            <translation>Récupérations de modèles</translation>
        </message>
        <message>
            <source>Where the model was published</source>
            <translation>Où le modèle a été publié</translation>
        </message>
        <message>
            <source>Copy the published path to the clipboard</source>
            <translation>Copier le chemin de publication dans le presse-papiers</translation>
        </message>
        <message>
            <source>Source:</source>
            <translation>Source :</translation>
        </message>
        <message>
            <source>Revision:</source>
            <translation>Révision :</translation>
        </message>
        <message>
            <source>State:</source>
            <translation>État :</translation>
        </message>
        <message>
            <source>Verified:</source>
            <translation>Vérifiés :</translation>
        </message>
        <message>
            <source>Published at:</source>
            <translation>Publié dans :</translation>
        </message>
        <message>
            <source>Problem:</source>
            <translation>Problème :</translation>
        </message>
        <message>
            <source>Cancel the selected pull</source>
            <translation>Annuler la récupération sélectionnée</translation>
        </message>
        <message>
            <source>The files downloaded so far are kept, so the pull can be resumed.</source>
            <translation>Les fichiers déjà téléchargés sont conservés pour pouvoir reprendre la récupération.</translation>
        </message>
        <message>
            <source>Resume the selected pull</source>
            <translation>Reprendre la récupération sélectionnée</translation>
        </message>
        <message>
            <source>Continues where the pull stopped; nothing is downloaded twice.</source>
            <translation>Reprend là où la récupération s'est arrêtée ; rien n'est téléchargé deux fois.</translation>
        </message>
        <message>
            <source>Remove the selected pull</source>
            <translation>Supprimer la récupération sélectionnée</translation>
        </message>
        <message>
            <source>Removes an ended pull from the list and deletes its partly downloaded files.</source>
            <translation>Retire de la liste une récupération terminée et efface ses fichiers partiellement téléchargés.</translation>
        </message>
        <message>
            <source>Result of the last action</source>
            <translation>Résultat de la dernière action</translation>
        </message>
        <message>
            <source>Cancel pull</source>
            <translation>Annuler la récupération</translation>
        </message>
        <message>
            <source>Resume</source>
            <translation>Reprendre</translation>
        </message>
        <message>
            <source>Remove…</source>
            <translation>Supprimer…</translation>
        </message>
        <message>
            <source>Copy path</source>
            <translation>Copier le chemin</translation>
        </message>
        <message>
            <source>The service started pulling %1.</source>
            <translation>Le service a lancé la récupération de %1.</translation>
        </message>
        <message>
            <source>not resolved yet</source>
            <translation>pas encore résolue</translation>
        </message>
        <message>
            <source>%1. %2</source>
            <translation>%1. %2</translation>
        </message>
        <message>
            <source>%1; now: %2</source>
            <translation>%1 ; en cours : %2</translation>
        </message>
        <message>
            <source>Free space at the destination: unknown</source>
            <translation>Espace libre à la destination : inconnu</translation>
        </message>
        <message>
            <source>Free space at the destination: %1</source>
            <translation>Espace libre à la destination : %1</translation>
        </message>
        <message>
            <source>Free space at %1: %2</source>
            <translation>Espace libre dans %1 : %2</translation>
        </message>
        <message>
            <source>Cancelled %1. The files downloaded so far are kept for a resume.</source>
            <translation>Récupération de %1 annulée. Les fichiers déjà téléchargés sont conservés pour une reprise.</translation>
        </message>
        <message>
            <source>The service refused: %1</source>
            <translation>Le service a refusé : %1</translation>
        </message>
        <message>
            <source>Resuming %1.</source>
            <translation>Reprise de la récupération de %1.</translation>
        </message>
        <message>
            <source>Remove %1 from the list? The published model stays where it is.</source>
            <translation>Retirer %1 de la liste ? Le modèle publié reste où il est.</translation>
        </message>
        <message>
            <source>Remove %1 from the list and delete the files downloaded so far? It cannot be resumed afterwards.</source>
            <translation>Retirer %1 de la liste et effacer les fichiers déjà téléchargés ? La récupération ne pourra plus être reprise.</translation>
        </message>
        <message>
            <source>Remove the pull</source>
            <translation>Supprimer la récupération</translation>
        </message>
        <message>
            <source>Removed %1.</source>
            <translation>Récupération de %1 supprimée.</translation>
        </message>
        <message>
            <source>Copied %1 to the clipboard.</source>
            <translation>%1 copié dans le presse-papiers.</translation>
        </message>
    </context>
    <context>
        <name>airlock::gui::PolicyPage</name>
        <message>
            <source>Audit log:</source>
            <translation>Journal d’audit :</translation>
        </message>
        <message>
            <source>never rotated</source>
            <translation>jamais archivé</translation>
        </message>
        <message numerus="yes">
            <source>rotated at %1, %n older file(s) kept</source>
            <translation>
                <numerusform>archivé à %1, %n fichier plus ancien conservé</numerusform>
                <numerusform>archivé à %1, %n fichiers plus anciens conservés</numerusform>
            </translation>
        </message>
        <message>
            <source>Egress budget:</source>
            <translation>Budget de sortie :</translation>
        </message>
        <message>
            <source>Sent in the last hour:</source>
            <translation>Envoyé dans la dernière heure :</translation>
        </message>
        <message>
            <source>%1: %2 of %3 (%4 %)</source>
            <translation>%1 : %2 sur %3 (%4 %)</translation>
        </message>
        <message>
            <source>%1: %2</source>
            <translation>%1 : %2</translation>
        </message>
        <message>
            <source>nothing</source>
            <translation>rien</translation>
        </message>
        <message>
            <source>%1 per destination host per hour (URL, headers and body)</source>
            <translation>%1 par hôte de destination et par heure (URL, en-têtes et corps)</translation>
        </message>
        <message>
            <source>Re&amp;load policy file</source>
            <translation>&amp;Recharger le fichier de politique</translation>
        </message>
        <message>
            <source>Make the service reread its policy file</source>
            <translation>Faire relire son fichier de politique au service</translation>
        </message>
        <message>
            <source>An invalid file is refused and the policy in force stays.</source>
            <translation>Un fichier invalide est refusé et la politique en vigueur reste.</translation>
        </message>
        <message>
            <source>Policy file:</source>
            <translation>Fichier de politique :</translation>
        </message>
        <message>
            <source>Allowed methods:</source>
            <translation>Méthodes autorisées :</translation>
        </message>
        <message>
            <source>Allowlist entries:</source>
            <translation>Entrées de la liste d'autorisation :</translation>
        </message>
        <message>
            <source>Largest request body:</source>
            <translation>Corps de requête maximal :</translation>
        </message>
        <message>
            <source>Largest response:</source>
            <translation>Réponse maximale :</translation>
        </message>
        <message>
            <source>Rate limit:</source>
            <translation>Limite de débit :</translation>
        </message>
        <message>
            <source>Scan for personal data:</source>
            <translation>Rechercher des données personnelles :</translation>
        </message>
        <message>
            <source>Scan for credentials:</source>
            <translation>Rechercher des identifiants :</translation>
        </message>
        <message>
            <source>Refused literals:</source>
            <translation>Chaînes refusées :</translation>
        </message>
        <message>
            <source>Custom patterns:</source>
            <translation>Motifs personnalisés :</translation>
        </message>
        <message>
            <source>Allowed credentials:</source>
            <translation>Identifiants autorisés :</translation>
        </message>
        <message>
            <source>Administrators' group:</source>
            <translation>Groupe des administrateurs :</translation>
        </message>
        <message>
            <source>Viewers' group:</source>
            <translation>Groupe des observateurs :</translation>
        </message>
        <message>
            <source>The service reread its policy file.</source>
            <translation>Le service a relu son fichier de politique.</translation>
        </message>
        <message>
            <source>The service refused the reload: %1</source>
            <translation>Le service a refusé le rechargement : %1</translation>
        </message>
        <message>
            <source>The policy has not been received from the service yet.</source>
            <translation>La politique n'a pas encore été reçue du service.</translation>
        </message>
        <message>
            <source>The policy could not be read: %1</source>
            <translation>La politique n’a pas pu être lue : %1</translation>
        </message>
        <message>
            <source>yes</source>
            <translation>oui</translation>
        </message>
        <message>
            <source>no</source>
            <translation>non</translation>
        </message>
        <message>
            <source>unknown</source>
            <translation>inconnu</translation>
        </message>
        <message numerus="yes">
            <source>%n entry(ies), edited on the Allowlist tab</source>
            <translation>
                <numerusform>%n entrée, modifiable dans l'onglet Liste d'autorisation</numerusform>
                <numerusform>%n entrées, modifiables dans l'onglet Liste d'autorisation</numerusform>
            </translation>
        </message>
        <message>
            <source>unlimited</source>
            <translation>illimitée</translation>
        </message>
        <message numerus="yes">
            <source>%n request(s) per minute</source>
            <translation>
                <numerusform>%n requête par minute</numerusform>
                <numerusform>%n requêtes par minute</numerusform>
            </translation>
        </message>
        <message>
            <source>none</source>
            <translation>aucun</translation>
        </message>
        <message>
            <source>%1 (%2)</source>
            <translation>%1 (%2)</translation>
        </message>
        <message>
            <source>%1 to %2</source>
            <translation>%1 vers %2</translation>
        </message>
    </context>
    <context>
        <name>airlock::gui::PullDialog</name>
        <message>
            <source>Revision</source>
            <translation>Révision</translation>
        </message>
        <message>
            <source>Total</source>
            <translation>Total</translation>
        </message>
        <message>
            <source>Destination</source>
            <translation>Destination</translation>
        </message>
        <message>
            <source>Free space at the destination</source>
            <translation>Espace libre à la destination</translation>
        </message>
        <message>
            <source>Pull a model</source>
            <translation>Récupérer un modèle</translation>
        </message>
        <message>
            <source>The Airlock downloads the model itself, checks every file against its digest and publishes it only when all of them are verified.</source>
            <translation>L'Airlock télécharge elle-même le modèle, vérifie chaque fichier par rapport à son empreinte et ne le publie que lorsque tous sont vérifiés.</translation>
        </message>
        <message>
            <source>hf:ORG/REPO[@REVISION], a Hugging Face resolve URL, or ollama:NAME[:TAG]</source>
            <translation>hf:ORG/REPO[@REVISION], une URL « resolve » de Hugging Face ou ollama:NAME[:TAG]</translation>
        </message>
        <message>
            <source>Model source</source>
            <translation>Source du modèle</translation>
        </message>
        <message>
            <source>e.g. *.gguf config.json (empty: every file)</source>
            <translation>p. ex. *.gguf config.json (vide : tous les fichiers)</translation>
        </message>
        <message>
            <source>Include patterns</source>
            <translation>Motifs à inclure</translation>
        </message>
        <message>
            <source>e.g. *.bin, original/**</source>
            <translation>p. ex. *.bin, original/**</translation>
        </message>
        <message>
            <source>Exclude patterns</source>
            <translation>Motifs à exclure</translation>
        </message>
        <message>
            <source>Comma or space separated; for Hugging Face repositories only. '*' matches within a folder name, '**' across folders.</source>
            <translation>Séparés par des virgules ou des espaces ; pour les dépôts Hugging Face seulement. '*' correspond à l'intérieur d'un nom de dossier, '**' à travers les dossiers.</translation>
        </message>
        <message>
            <source>Source check</source>
            <translation>Vérification de la source</translation>
        </message>
        <message>
            <source>Why no pull can be started</source>
            <translation>Pourquoi aucune récupération ne peut être lancée</translation>
        </message>
        <message>
            <source>The service's answer</source>
            <translation>La réponse du service</translation>
        </message>
        <message>
            <source>File</source>
            <translation>Fichier</translation>
        </message>
        <message>
            <source>Size</source>
            <translation>Taille</translation>
        </message>
        <message>
            <source>Files the pull would download</source>
            <translation>Fichiers que la récupération téléchargerait</translation>
        </message>
        <message>
            <source>Pre&amp;view</source>
            <translation>&amp;Aperçu</translation>
        </message>
        <message>
            <source>Ask the service what this pull would download</source>
            <translation>Demander au service ce que cette récupération téléchargerait</translation>
        </message>
        <message>
            <source>Nothing is downloaded but the listing.</source>
            <translation>Seule la liste des fichiers est téléchargée.</translation>
        </message>
        <message>
            <source>&amp;Start pull</source>
            <translation>&amp;Démarrer la récupération</translation>
        </message>
        <message>
            <source>Start the pull</source>
            <translation>Démarrer la récupération</translation>
        </message>
        <message>
            <source>&amp;Source:</source>
            <translation>&amp;Source :</translation>
        </message>
        <message>
            <source>&amp;Include:</source>
            <translation>&amp;Inclure :</translation>
        </message>
        <message>
            <source>E&amp;xclude:</source>
            <translation>E&amp;xclure :</translation>
        </message>
        <message>
            <source>Revision:</source>
            <translation>Révision :</translation>
        </message>
        <message>
            <source>Total:</source>
            <translation>Total :</translation>
        </message>
        <message>
            <source>Destination:</source>
            <translation>Destination :</translation>
        </message>
        <message>
            <source>Free space:</source>
            <translation>Espace libre :</translation>
        </message>
        <message>
            <source>Not connected to the Airlock service.</source>
            <translation>Non connecté au service Airlock.</translation>
        </message>
        <message>
            <source>You are connected as a viewer: only administrators can pull models.</source>
            <translation>Vous êtes connecté en observateur : seuls les administrateurs peuvent récupérer des modèles.</translation>
        </message>
        <message>
            <source>Waiting for the service's state.</source>
            <translation>En attente de l'état du service.</translation>
        </message>
        <message>
            <source>The Airlock is in lockdown: nothing can be pulled until it is unlocked.</source>
            <translation>L'Airlock est verrouillée : rien ne peut être récupéré avant son déverrouillage.</translation>
        </message>
        <message>
            <source>The Airlock is off: switch it on to pull a model.</source>
            <translation>L'Airlock est désactivée : activez-la pour récupérer un modèle.</translation>
        </message>
        <message>
            <source>pattern "%1": %2</source>
            <translation>motif « %1 » : %2</translation>
        </message>
        <message>
            <source>Type a source: hf:ORG/REPO, a Hugging Face resolve URL or ollama:NAME.</source>
            <translation>Saisissez une source : hf:ORG/REPO, une URL « resolve » de Hugging Face ou ollama:NAME.</translation>
        </message>
        <message>
            <source>Valid source.</source>
            <translation>Source valide.</translation>
        </message>
        <message>
            <source>Not valid: %1</source>
            <translation>Non valide : %1</translation>
        </message>
        <message>
            <source>Preview shows what the pull would download.</source>
            <translation>L'aperçu montre ce que la récupération téléchargerait.</translation>
        </message>
        <message>
            <source>unknown</source>
            <translation>inconnu</translation>
        </message>
        <message>
            <source>%1 %2</source>
            <translation>%1 %2</translation>
        </message>
        <message>
            <source>1 file, %1</source>
            <translation>1 fichier, %1</translation>
        </message>
        <message>
            <source>%1 files, %2</source>
            <translation>%1 fichiers, %2</translation>
        </message>
        <message>
            <source>%1, less than the %2 this model needs.</source>
            <translation>%1, moins que les %2 nécessaires à ce modèle.</translation>
        </message>
        <message>
            <source>Asking the service for the plan…</source>
            <translation>Demande du plan au service…</translation>
        </message>
        <message>
            <source>The service refused: %1</source>
            <translation>Le service a refusé : %1</translation>
        </message>
        <message>
            <source>Starting the pull…</source>
            <translation>Démarrage de la récupération…</translation>
        </message>
    </context>
    <context>
        <name>airlock::gui::PullListModel</name>
        <message>
            <source>%1 of %2</source>
            <translation>%1 sur %2</translation>
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
            <translation>Modèle</translation>
        </message>
        <message>
            <source>Progress</source>
            <translation>Progression</translation>
        </message>
        <message>
            <source>Rate</source>
            <translation>Débit</translation>
        </message>
        <message>
            <source>Time left</source>
            <translation>Temps restant</translation>
        </message>
        <message>
            <source>Files verified</source>
            <translation>Fichiers vérifiés</translation>
        </message>
        <message>
            <source>State</source>
            <translation>État</translation>
        </message>
        <message>
            <source>Waiting</source>
            <translation>En attente</translation>
        </message>
        <message>
            <source>Downloading</source>
            <translation>Téléchargement</translation>
        </message>
        <message>
            <source>Publishing</source>
            <translation>Publication</translation>
        </message>
        <message>
            <source>Published</source>
            <translation>Publié</translation>
        </message>
        <message>
            <source>Failed</source>
            <translation>Échoué</translation>
        </message>
        <message>
            <source>Cancelled</source>
            <translation>Annulé</translation>
        </message>
        <message>
            <source>Stopped</source>
            <translation>Arrêté</translation>
        </message>
        <message>
            <source>Interrupted</source>
            <translation>Interrompu</translation>
        </message>
        <message>
            <source>unknown</source>
            <translation>inconnu</translation>
        </message>
        <message>
            <source>Waiting for its turn: only a few pulls download at once.</source>
            <translation>Attend son tour : seules quelques récupérations téléchargent en même temps.</translation>
        </message>
        <message>
            <source>Every file is checked against its digest as it arrives.</source>
            <translation>Chaque fichier est vérifié par rapport à son empreinte à mesure qu'il arrive.</translation>
        </message>
        <message>
            <source>Every file is verified; the model is being moved into place.</source>
            <translation>Tous les fichiers sont vérifiés ; le modèle est mis en place.</translation>
        </message>
        <message>
            <source>Every file was verified and the model is in place.</source>
            <translation>Tous les fichiers ont été vérifiés et le modèle est en place.</translation>
        </message>
        <message>
            <source>Nothing was published.</source>
            <translation>Rien n'a été publié.</translation>
        </message>
        <message>
            <source>The files downloaded so far are kept for a resume.</source>
            <translation>Les fichiers déjà téléchargés sont conservés pour une reprise.</translation>
        </message>
        <message>
            <source>The Airlock was switched off or locked down; the files so far are kept for a resume.</source>
            <translation>L'Airlock a été désactivée ou verrouillée ; les fichiers déjà téléchargés sont conservés pour une reprise.</translation>
        </message>
        <message>
            <source>The service stopped while this pull ran; Resume continues where it stopped.</source>
            <translation>Le service s'est arrêté pendant cette récupération ; « Reprendre » continue là où elle s'est arrêtée.</translation>
        </message>
        <message>
            <source>not found</source>
            <translation>introuvable</translation>
        </message>
        <message>
            <source>%1: %2</source>
            <translation>%1 : %2</translation>
        </message>
        <message>
            <source>%1 of 1 file verified</source>
            <translation>%1 sur 1 fichier vérifié</translation>
        </message>
        <message>
            <source>%1 of %2 files verified</source>
            <translation>%1 sur %2 fichiers vérifiés</translation>
        </message>
        <message>
            <source>verified</source>
            <translation>vérifié</translation>
        </message>
        <message>
            <source>verified (%1)</source>
            <translation>vérifié (%1)</translation>
        </message>
        <message>
            <source>failed: %1</source>
            <translation>échec : %1</translation>
        </message>
        <message>
            <source>downloading</source>
            <translation>en téléchargement</translation>
        </message>
        <message>
            <source>waiting</source>
            <translation>en attente</translation>
        </message>
        <message>
            <source>partly downloaded</source>
            <translation>partiellement téléchargé</translation>
        </message>
        <message>
            <source>not downloaded</source>
            <translation>non téléchargé</translation>
        </message>
    </context>
    <context>
        <name>airlock::gui::StateHeader</name>
        <message>
            <source>State icon: %1</source>
            <translation>Icône d'état : %1</translation>
        </message>
        <message>
            <source>Reason: %1</source>
            <translation>Motif : %1</translation>
        </message>
        <message>
            <source>(Switched on, but the lockdown overrides it.)</source>
            <translation>(Activée, mais le verrouillage prévaut.)</translation>
        </message>
        <message>
            <source>Airlock state: %1</source>
            <translation>État de l'Airlock : %1</translation>
        </message>
        <message>
            <source>&amp;Turn off</source>
            <translation>&amp;Désactiver</translation>
        </message>
        <message>
            <source>&amp;Turn on</source>
            <translation>&amp;Activer</translation>
        </message>
        <message>
            <source>Turn the Airlock off</source>
            <translation>Désactiver l'Airlock</translation>
        </message>
        <message>
            <source>Turn the Airlock on</source>
            <translation>Activer l'Airlock</translation>
        </message>
        <message>
            <source>Only administrators can change this.</source>
            <translation>Seuls les administrateurs peuvent modifier ceci.</translation>
        </message>
        <message>
            <source>&amp;Lockdown…</source>
            <translation>&amp;Verrouiller…</translation>
        </message>
        <message>
            <source>Lock down the Airlock</source>
            <translation>Verrouiller l'Airlock</translation>
        </message>
        <message>
            <source>Refuse every request at once, whatever else is set.</source>
            <translation>Refuser immédiatement toute requête, quels que soient les autres réglages.</translation>
        </message>
        <message>
            <source>&amp;Unlock…</source>
            <translation>Dé&amp;verrouiller…</translation>
        </message>
        <message>
            <source>Unlock the Airlock</source>
            <translation>Déverrouiller l'Airlock</translation>
        </message>
        <message>
            <source>End the lockdown.</source>
            <translation>Lever le verrouillage.</translation>
        </message>
        <message>
            <source>Only administrators can end a lockdown.</source>
            <translation>Seuls les administrateurs peuvent lever un verrouillage.</translation>
        </message>
    </context>
    <context>
        <name>airlock::gui::StateLook</name>
        <message>
            <source>Enabled</source>
            <translation>Activé</translation>
        </message>
        <message>
            <source>Requests to allowlisted hosts are checked and let through.</source>
            <translation>Les requêtes vers les hôtes de la liste d'autorisation sont contrôlées puis transmises.</translation>
        </message>
        <message>
            <source>Lockdown</source>
            <translation>Verrouillage</translation>
        </message>
        <message>
            <source>Every request is refused until an administrator unlocks the Airlock.</source>
            <translation>Toute requête est refusée jusqu'à ce qu'un administrateur déverrouille l'Airlock.</translation>
        </message>
        <message>
            <source>Not connected</source>
            <translation>Non connecté</translation>
        </message>
        <message>
            <source>The panel cannot reach the Airlock service.</source>
            <translation>Le panneau ne peut pas joindre le service Airlock.</translation>
        </message>
        <message>
            <source>Disabled</source>
            <translation>Désactivé</translation>
        </message>
        <message>
            <source>The appliance stays air-gapped: every request is refused.</source>
            <translation>L'appliance reste isolée : toute requête est refusée.</translation>
        </message>
    </context>
    <context>
        <name>airlock::gui::TransferList</name>
        <message>
            <source>Model pull: %1 from %2</source>
            <translation>Téléchargement de modèle : %1 depuis %2</translation>
        </message>
        <message>
            <source>%1 %2%3</source>
            <translation>%1 %2%3</translation>
        </message>
        <message>
            <source>%1 of %2</source>
            <translation>%1 sur %2</translation>
        </message>
        <message>
            <source>Finished: %1 in %2</source>
            <translation>Terminé : %1 en %2</translation>
        </message>
        <message>
            <source>Ended (%1) after %2</source>
            <translation>Interrompu (%1) après %2</translation>
        </message>
        <message>
            <source>%1 · %2</source>
            <translation>%1 · %2</translation>
        </message>
        <message>
            <source>%1 · %2 · %3 left</source>
            <translation>%1 · %2 · %3 restantes</translation>
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
            <translation>Progression de %1</translation>
        </message>
    </context>
    <context>
        <name>airlock::gui::TransfersPage</name>
        <message>
            <source>No downloads in progress.</source>
            <translation>Aucun téléchargement en cours.</translation>
        </message>
        <message>
            <source>Transfers</source>
            <translation>Transferts</translation>
        </message>
        <message numerus="yes">
            <source>%n active download(s), %1 in total</source>
            <translation>
                <numerusform>%n téléchargement actif, %1 au total</numerusform>
                <numerusform>%n téléchargements actifs, %1 au total</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>main</name>
        <message>
            <source>Admin panel of the Secure AI Airlock egress proxy.</source>
            <translation>Panneau d’administration du proxy sortant Secure AI Airlock.</translation>
        </message>
        <message>
            <source>Full-screen read-only status board.</source>
            <translation>Tableau d’état en plein écran, en lecture seule.</translation>
        </message>
        <message>
            <source>Language (de, fr, en); default: the system's.</source>
            <translation>Langue (de, fr, en) ; par défaut celle du système.</translation>
        </message>
        <message>
            <source>The service's admin socket.</source>
            <translation>Le socket d’administration du service.</translation>
        </message>
        <message>
            <source>With --kiosk: a window, not full screen.</source>
            <translation>Avec --kiosk : une fenêtre, pas le plein écran.</translation>
        </message>
    </context>
</TS>
