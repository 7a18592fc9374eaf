#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Generates Kiosque's fixture site: a French tech-news WordPress site with
# categories, tags, authors, posts, media, comments and PNG images. Every
# sentence is composed here from the project's own vocabulary and templates.
# Deterministic (fixed seed). Standard library only.
#
# Output (in --output DIR):
#   site.json          everything the test server serves, in WordPress REST
#                      shapes, URLs prefixed with the placeholder "{{SITE}}"
#   images/*.png       the distinct pictures (several sizes each)
#
# Usage: generate-site.py --output DIR [--posts N]
#
# --posts N makes a bigger or smaller site from the same vocabulary (the
# memory benchmark uses 10,000); the default, 192, is the fixture the tests
# expect.

import argparse
import datetime
import html
import json
import os
import random
import re
import struct
import unicodedata
import zlib

SEED = 20261128
SITE = "{{SITE}}"
API = SITE + "/wp-json/wp/v2"
N_POSTS = 192
N_VISUALS = 12
LAST_DAY = datetime.datetime(2026, 11, 28, 17, 45)  # Paris time
FIRST_DAY = datetime.datetime(2024, 12, 1, 8, 0)
SIZES = [  # name, width, height (the "full" size is the original)
    ("thumbnail", 150, 150),
    ("medium", 300, 169),
    ("medium_large", 768, 432),
    ("large", 1024, 576),
    ("full", 1200, 675),
]

rng = random.Random(SEED)

# --------------------------------------------------------------------------
# Text helpers

def strip_accents(s):
    return "".join(c for c in unicodedata.normalize("NFD", s)
                   if unicodedata.category(c) != "Mn")


def slugify(s):
    s = strip_accents(s.replace("œ", "oe").replace("Œ", "oe")).lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s[:70].rstrip("-")


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def texturize_title(s):
    """Plain title → title.rendered as WordPress prints it (entities)."""
    s = esc(s)
    s = s.replace("'", "&#8217;").replace("’", "&#8217;")
    s = s.replace("« ", "&laquo;&nbsp;").replace(" »", "&nbsp;&raquo;")
    s = s.replace("«", "&laquo;").replace("»", "&raquo;")
    s = s.replace("…", "&#8230;").replace(" – ", " &#8211; ")
    return s


def texturize_text(s):
    """Plain text → HTML text as in content.rendered (apostrophes as entities)."""
    s = esc(s)
    return s.replace("'", "&#8217;").replace("’", "&#8217;")


NAMED_TO_NUMERIC = {"&laquo;": "&#171;", "&raquo;": "&#187;", "&nbsp;": "&#160;",
                    "&hellip;": "&#8230;"}


def rss_safe(s):
    for k, v in NAMED_TO_NUMERIC.items():
        s = s.replace(k, v)
    return s


def html_to_text(s):
    s = re.sub(r"<(script|style|iframe)[^>]*>.*?</\1>", " ", s, flags=re.S)
    s = re.sub(r"<[^>]+>", " ", s)
    s = html.unescape(s)
    return re.sub(r"\s+", " ", s).strip()


def cap(s):
    return s[:1].upper() + s[1:]


def de(np):
    """"le X" → "du X" etc."""
    if np.startswith("le "):
        return "du " + np[3:]
    if np.startswith("les "):
        return "des " + np[4:]
    if np.startswith("la ") or np.startswith("l’"):
        return "de " + np
    return "de " + np


def a(np):
    if np.startswith("le "):
        return "au " + np[3:]
    if np.startswith("les "):
        return "aux " + np[4:]
    return "à " + np


def bare(np):
    for art in ("le ", "la ", "les ", "l’"):
        if np.startswith(art):
            return np[len(art):]
    return np


def pick(seq):
    return rng.choice(seq)


def fill(template, ctx):
    out = template
    for k, v in ctx.items():
        out = out.replace("{" + k + "}", v)
    if "{" in out:
        raise ValueError("unfilled slot in: " + out)
    return out

# --------------------------------------------------------------------------
# Vocabulary (written for this project)

SITE_NAME = "Kiosque Tech"
SITE_DESCRIPTION = "L’actualité high-tech, science et pop culture — site de démonstration"

CATEGORIES = [
    # id, name (plain), slug, parent id, description
    (1, "Non classé", "non-classe", 0, ""),
    (3, "Apple", "apple", 0, "Tout l’univers de la pomme : iPhone, Mac, iPad et services."),
    (5, "Android", "android", 0, "Smartphones, tablettes et mises à jour du robot vert."),
    (8, "Internet", "internet", 0, "Réseaux sociaux, navigateurs, fibre et vie privée."),
    (12, "Jeux vidéo", "jeux-video", 0, "Consoles, sorties, tests et coulisses du jeu vidéo."),
    (14, "Matériel", "materiel", 0, "Processeurs, cartes graphiques, écrans et périphériques."),
    (17, "Science", "science", 0, "Espace, climat, énergie et découvertes."),
    (21, "Business", "business", 0, "Résultats, rachats et stratégies de la tech."),
    (26, "Cinéma et séries", "cinema-series", 0, "Films, séries et plateformes de streaming."),
    (30, "Logiciels", "logiciels", 0, "Systèmes, applications et logiciels libres."),
    (33, "Mobilité", "mobilite", 0, "Voitures électriques, vélos et transports de demain."),
    (37, "Tests & Dossiers", "tests-dossiers", 0, "Nos essais complets et nos dossiers de fond."),
    (41, "Consoles", "consoles", 12, "Les machines de salon et portables."),
]
CAT_BY_ID = {c[0]: c for c in CATEGORIES}

# Subjects: (noun phrase with article, brand, feminine?)
SUBJECTS = {
    3: [("l’iPhone 18", "Apple"), ("l’iPad Air", "Apple"), ("le MacBook Pro", "Apple"),
        ("l’Apple Watch", "Apple"), ("les AirPods Pro", "Apple"), ("le Mac mini", "Apple"),
        ("iOS 20", "Apple"), ("le casque Vision Pro", "Apple"), ("l’App Store", "Apple")],
    5: [("le Galaxy S27", "Samsung"), ("le Pixel 11", "Google"), ("Android 17", "Google"),
        ("le OnePlus 15", "OnePlus"), ("la surcouche One UI", "Samsung"),
        ("le Galaxy Z Fold", "Samsung"), ("le Xiaomi 16", "Xiaomi")],
    8: [("le moteur de recherche", "Google"), ("la fibre optique", "Orange"),
        ("le navigateur Firefox", "Mozilla"), ("les réseaux sociaux", "Meta"),
        ("la messagerie chiffrée", "Signal"), ("le Wi-Fi 7", "Free"),
        ("les données personnelles", "la CNIL")],
    12: [("« Cendres d’Argent »", "un studio lyonnais"), ("« Rallye Nocturne »", "un éditeur japonais"),
         ("le jeu de stratégie « Hexagone »", "un studio montréalais"),
         ("l’abonnement Game Pass", "Microsoft"), ("le moteur Unreal Engine", "Epic Games"),
         ("la compétition d’e-sport", "Riot Games")],
    14: [("la carte graphique RTX 6080", "Nvidia"), ("le processeur Ryzen 11", "AMD"),
         ("l’écran 4K de 32 pouces", "Dell"), ("le SSD de 8 To", "Samsung"),
         ("le clavier mécanique", "Logitech"), ("la puce Core Ultra", "Intel"),
         ("la mémoire DDR6", "Micron")],
    17: [("le télescope spatial James Webb", "la NASA"), ("la sonde Juice", "l’ESA"),
         ("la fusion nucléaire", "le projet ITER"), ("les batteries solides", "des chercheurs"),
         ("le rover Perseverance", "la NASA"), ("la fonte des glaciers", "des climatologues"),
         ("le lanceur Ariane 6", "Arianespace")],
    21: [("le rachat de la start-up", "Microsoft"), ("les résultats trimestriels", "Apple"),
         ("la levée de fonds", "une jeune pousse française"), ("l’amende record", "la Commission européenne"),
         ("la stratégie d’intelligence artificielle", "Google"), ("le plan social", "Intel")],
    26: [("la série « Les Veilleurs de Brume »", "une plateforme de streaming"),
         ("le film « Orbite basse »", "un studio hollywoodien"),
         ("la saison 3 de « Quai des Ombres »", "une chaîne française"),
         ("l’abonnement avec publicité", "Netflix"), ("le catalogue de Disney+", "Disney"),
         ("la trilogie « Les Marées de Sel »", "un réalisateur québécois")],
    30: [("Windows 12", "Microsoft"), ("le noyau Linux", "la communauté"),
         ("LibreOffice", "The Document Foundation"), ("le bureau GNOME", "la fondation GNOME"),
         ("le gestionnaire de mots de passe", "Bitwarden"), ("l’assistant de code", "GitHub"),
         ("macOS", "Apple")],
    33: [("la Renault 5 électrique", "Renault"), ("la Tesla Model Y", "Tesla"),
         ("les bornes de recharge rapide", "Ionity"), ("le vélo à assistance électrique", "Decathlon"),
         ("les trottinettes en libre-service", "la ville de Paris"), ("le train à hydrogène", "Alstom")],
}
SUBJECTS[37] = SUBJECTS[3][:3] + SUBJECTS[5][:3] + SUBJECTS[14][:3] + SUBJECTS[33][:2]
SUBJECTS[41] = [("la Nintendo Switch 2", "Nintendo"), ("la PS5 Pro", "Sony"),
                ("la Xbox portable", "Microsoft"), ("le Steam Deck 2", "Valve")]

FEATURES = [
    "un écran OLED plus lumineux", "une autonomie revue à la hausse",
    "une puce gravée plus finement", "un capteur photo amélioré",
    "la recharge sans fil rapide", "un mode hors ligne complet",
    "une interface entièrement repensée", "un chiffrement de bout en bout",
    "une mémoire vive doublée", "un prix en baisse", "un design plus fin",
    "des fonctions d’intelligence artificielle", "une meilleure gestion de l’énergie",
    "un écran à 120 Hz", "la prise en charge du Wi-Fi 7",
]
PROBLEMS = [
    "un bug d’affichage", "une fuite de mémoire", "des plantages au démarrage",
    "une consommation d’énergie excessive", "la synchronisation des données",
    "un problème de sécurité", "des ralentissements gênants", "un écran qui scintille",
]
VERDICTS = [
    "presque un sans-faute", "une bonne surprise", "des promesses à moitié tenues",
    "le meilleur rapport qualité-prix", "cher mais très abouti", "une évolution en douceur",
    "l’outsider qui fait mouche",
]
PEOPLE = [
    ("Claire Dubreuil", "analyste dans un cabinet d’études parisien"),
    ("Marc Aubert", "directeur produit"),
    ("Sophie Kergoat", "chercheuse au CNRS"),
    ("Yanis Ferrand", "développeur indépendant"),
    ("Hélène Marchetti", "responsable de la sécurité"),
    ("Benoît Lacroix", "porte-parole du constructeur"),
    ("Aïcha Diallo", "économiste spécialiste du numérique"),
]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre"]
COUNTRIES = ["en France", "en Europe", "aux États-Unis", "au Japon", "en Allemagne",
             "au Canada", "en Corée du Sud"]
ADJECTIVES = ["ambitieux", "discret", "attendu", "surprenant", "prometteur", "controversé"]

TITLE_TEMPLATES = [
    "{Brand} dévoile {s} : ce qu’il faut retenir",
    "{S} passe à la vitesse supérieure avec {feature}",
    "{S} : une mise à jour corrige enfin {problem}",
    "Pourquoi {s} pourrait changer la donne en 2027",
    "{Brand} annonce {n} millions d’utilisateurs pour {s}",
    "« {quote} » : {person} défend {s}",
    "Prix, date, fiche technique : tout savoir sur {s}",
    "{S} en promo : le bon plan du week-end",
    "Astuces & réglages : 5 options à changer sur {s}",
    "La rumeur du jour : {feature} pour {s} ?",
    "{Brand} : {n} % de croissance grâce à {s}",
    "{S} arrive {country} dès {month}",
    "On a enfin des nouvelles {de_s}… et elles sont bonnes",
    "{S} : l’écran, la batterie et le prix enfin dévoilés",
    "Faut-il craquer pour {s} ? Notre avis",
]
TEST_TITLE_TEMPLATES = [
    "Test {de_s} : {verdict}",
    "Dossier : {s}, un an après",
    "Essai {de_s} : {verdict}",
    "Comparatif : {s} face à la concurrence",
]
QUOTES = [
    "C’est notre produit le plus abouti", "Nous avons écouté les utilisateurs",
    "Le marché n’est pas prêt", "Ce n’est qu’un début", "La sécurité passe avant tout",
    "Nous visons le grand public", "Rien ne remplace un bon écran",
]

# Sentence templates for paragraphs. Slots: s, S, de_s, a_s, bare_s, brand,
# Brand, feature, problem, person, role, n, pct, month, country, adj, year.
SENTENCES = [
    "{Brand} a confirmé mardi l’arrivée {de_s}, avec {feature} à la clé.",
    "Selon nos informations, {s} devrait être présenté {country} au mois de {month}.",
    "Les premiers retours sont plutôt positifs, même si certains utilisateurs signalent {problem}.",
    "Du côté du prix, il faudra compter environ {n}9 euros, soit un peu plus que la génération précédente.",
    "{person}, {role}, estime que « le public attendait surtout {feature} ».",
    "C’est un changement {adj} pour {brand}, qui misait jusqu’ici sur une stratégie plus prudente.",
    "La firme promet {feature}, une affirmation qu’il faudra vérifier lors de nos essais.",
    "En coulisses, les équipes auraient travaillé près de {n} mois sur ce projet.",
    "Les ventes ont progressé de {pct} % sur un an, un chiffre qui rassure les investisseurs.",
    "Reste une question : {s} saura-t-il convaincre au-delà des passionnés ?",
    "Les données collectées restent stockées {country}, précise l’entreprise dans un communiqué.",
    "Le déploiement se fera par étapes, d’abord {country}, puis dans le reste du monde.",
    "À l’usage, l’écran se montre lumineux et la mémoire suffit largement pour le quotidien.",
    "Côté matériel, rien de révolutionnaire, mais une série de petites améliorations bienvenues.",
    "La mise à jour pèse près de {n} Go et s’installe en une vingtaine de minutes.",
    "Les développeurs ont déjà accès à une version de test depuis {month}.",
    "Pour {person}, « il s’agit d’un tournant pour toute l’industrie ».",
    "Nous avons pu le prendre en main quelques heures : l’impression générale est très positive.",
    "Il faudra toutefois patienter jusqu’en {month} pour une disponibilité complète.",
    "Les associations de consommateurs restent prudentes et réclament davantage de transparence.",
    "Ce n’est pas la première fois que {brand} tente l’aventure : une première version avait déjà été lancée il y a {n} ans.",
    "Un détail a surpris : {feature} n’est réservé qu’au modèle le plus cher.",
    "La concurrence ne reste pas les bras croisés et prépare déjà sa riposte.",
    "Dans les faits, la différence se ressent surtout sur l’autonomie, qui gagne près de {pct} %.",
    "Le cœur du problème tient à la chaîne d’approvisionnement, encore fragile.",
    "On regrette en revanche l’absence de chargeur dans la boîte, une habitude désormais bien ancrée.",
    "Les premiers tests de performances placent {s} en tête de sa catégorie.",
    "Cette évolution s’accompagne d’une refonte de l’interface, plus lisible et plus rapide.",
    "L’entreprise assure que la sécurité des données a été renforcée à tous les niveaux.",
    "Les amateurs de photo apprécieront le nouveau mode nuit, nettement plus efficace.",
    "Le lancement officiel aura lieu lors d’une conférence prévue en {month}.",
    "Voilà de quoi relancer l’intérêt pour un marché qui s’essoufflait depuis deux ans.",
    "Le constructeur annonce {n} millions d’exemplaires vendus depuis le lancement.",
    "La version française sera disponible le même jour, sous-titres et doublage compris.",
    "Certains utilisateurs évoquent un écran qui chauffe légèrement en charge.",
    "Bref, une évolution plus qu’une révolution, mais une évolution réussie.",
]
CATEGORY_SENTENCES = {
    3: ["Apple garde le silence, comme souvent avant une keynote.",
        "La puce maison fait encore une fois la différence face aux PC portables."],
    5: ["Les mises à jour de sécurité sont promises pendant sept ans.",
        "La surcouche logicielle se fait plus discrète, au bonheur des puristes."],
    8: ["Les internautes français passent désormais plus de deux heures par jour sur leur téléphone.",
        "Le débit moyen de la fibre a encore progressé ces derniers mois."],
    12: ["Le jeu tourne à 60 images par seconde sur console, un vrai confort.",
         "La bande-son, signée par un compositeur nantais, est déjà saluée par les joueurs."],
    14: ["La gravure en 2 nanomètres permet de réduire la consommation d’énergie.",
         "Le ventilateur reste silencieux, même sous forte charge."],
    17: ["Les résultats ont été publiés dans une revue scientifique à comité de lecture.",
         "Les chercheurs espèrent confirmer ces observations d’ici l’été prochain."],
    21: ["L’action a bondi de {pct} % à l’ouverture de la Bourse.",
         "Les analystes anticipent un exercice record pour le groupe."],
    26: ["Le tournage s’est déroulé en Bretagne pendant près de six mois.",
         "La critique salue une mise en scène élégante et un casting soigné."],
    30: ["Le code source est publié sous licence libre, une première pour l’éditeur.",
         "Les anciennes versions ne recevront plus de correctifs à partir de {month}."],
    33: ["L’autonomie annoncée dépasse les 400 kilomètres en cycle mixte.",
         "Le réseau de recharge s’étoffe, notamment le long des autoroutes."],
}
CATEGORY_SENTENCES[37] = ["Nous l’avons utilisé pendant trois semaines avant de rendre notre verdict.",
                          "Notre protocole de test mesure l’autonomie, l’écran et la réactivité."]
CATEGORY_SENTENCES[41] = ["La console se connecte à la télévision en un clin d’œil.",
                          "Le catalogue de lancement compte une trentaine de jeux."]
HEADINGS = [
    "Ce qui change", "Un écran à la hauteur", "Prix et disponibilité", "Notre avis",
    "Les caractéristiques techniques", "Et la concurrence ?", "Ce qu’il faut savoir",
    "Une autonomie en progrès", "Les points faibles", "Pour aller plus loin",
]
LIST_ITEMS = [
    "Écran OLED de 6,3 pouces", "Batterie de 5 000 mAh", "Mémoire de 12 Go",
    "Stockage à partir de 256 Go", "Recharge rapide à 45 W", "Wi-Fi 7 et Bluetooth 6",
    "Poids : 187 grammes", "Disponible en trois coloris", "Prix de départ : 899 euros",
    "Mise à jour gratuite", "Compatible avec les anciens accessoires",
    "Résistance à l’eau et à la poussière",
]
CAPTIONS = [
    "Le nouveau modèle, vu de face.", "Une interface plus épurée qu’avant.",
    "La présentation a eu lieu devant un public conquis.", "L’écran, toujours aussi lumineux.",
    "Crédit image : Kiosque Tech.", "Le détail qui change tout.",
    "Une prise en main agréable, dès les premières minutes.",
]
VIDEO_TITLES = ["La bande-annonce officielle", "Notre prise en main en vidéo",
                "La présentation complète", "Le teaser dévoilé ce matin"]
AUTHORS = [
    (2, "Camille Rousseau", "camille-rousseau", "Rédactrice en chef, passionnée de mobilité."),
    (4, "Julien Marchand", "julien-marchand", "Journaliste, suit Apple depuis quinze ans."),
    (6, "Élodie Fontaine", "elodie-fontaine", "Spécialiste des jeux vidéo et du cinéma."),
    (7, "Théo Lefèvre", "theo-lefevre", "Matériel, logiciels libres et bricolage."),
    (9, "Inès Benali", "ines-benali", "Science, espace et énergie."),
]
COMMENTERS = ["Fredo75", "Lucie", "MacFan", "Gégé du 13", "Noémie", "Pierre-Yves",
              "Zoé B.", "Anonyme", "TechAddict", "François", "Maëlle"]
COMMENT_TEXTS = [
    "Très bon article, merci pour le récapitulatif !",
    "Je l’ai depuis une semaine et je confirme : l’écran est superbe.",
    "Encore une hausse de prix… je vais garder mon ancien modèle.",
    "Quelqu’un sait si la mise à jour arrive aussi sur la version précédente ?",
    "Bof, rien de bien nouveau à mon avis.",
    "Merci pour le lien, c’est exactement ce que je cherchais.",
    "Petite coquille dans le deuxième paragraphe, mais sinon rien à redire.",
    "J’attends surtout de voir ce que donne l’autonomie au quotidien.",
    "Ça ressemble beaucoup à ce que la concurrence propose déjà, non ?",
    "Enfin ! Ça fait des années qu’on attendait ça.",
]
REPLY_TEXTS = [
    "Oui, d’après le communiqué elle arrive le mois prochain.",
    "Pas d’accord, les améliorations sont réelles.",
    "Tout à fait, c’est ce que j’ai constaté aussi.",
    "Bien vu, c’est corrigé. Merci !",
]
TAGS = [
    "iPhone", "Mac", "iPad", "Samsung", "Google", "Pixel", "IA", "5G", "Fibre",
    "Nintendo", "PlayStation", "Xbox", "Nvidia", "AMD", "Intel", "NASA", "Espace",
    "Climat", "Netflix", "Disney+", "Linux", "Windows", "Open source", "Sécurité",
    "Vie privée", "Voiture électrique", "Vélo", "Bon plan", "Rumeur", "Écran",
    "Batterie", "Streaming", "E-sport", "Europe", "Énergie", "Smartphone",
]

# --------------------------------------------------------------------------
# PNG images (zlib, no third-party module)

def png_bytes(width, height, rows):
    raw = b"".join(b"\x00" + r for r in rows)

    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) +
            chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


PALETTES = [
    ((231, 76, 60), (241, 196, 15)), ((52, 152, 219), (155, 89, 182)),
    ((46, 204, 113), (22, 160, 133)), ((230, 126, 34), (192, 57, 43)),
    ((26, 188, 156), (41, 128, 185)), ((142, 68, 173), (236, 64, 122)),
    ((44, 62, 80), (52, 152, 219)), ((243, 156, 18), (211, 84, 0)),
    ((0, 150, 136), (205, 220, 57)), ((63, 81, 181), (0, 188, 212)),
    ((121, 85, 72), (255, 193, 7)), ((96, 125, 139), (233, 30, 99)),
]


def make_visual(index, width, height):
    c0, c1 = PALETTES[index % len(PALETTES)]
    span = width + height
    lut = bytearray()
    for i in range(span):
        t = i / (span - 1)
        lut += bytes(int(c0[k] + (c1[k] - c0[k]) * t) for k in range(3))
    lut = bytes(lut)
    # A light disc and a dark band, placed per image.
    cx = int(width * (0.3 + 0.05 * (index % 8)))
    cy = int(height * 0.45)
    r = int(min(width, height) * 0.28)
    disc = bytes((255, 255, 255))
    band_top = int(height * 0.78)
    band = bytes(int(v * 0.35) for v in c1)
    rows = []
    for y in range(height):
        row = lut[3 * y:3 * (y + width)]
        dy = y - cy
        if -r <= dy <= r:
            half = int((r * r - dy * dy) ** 0.5)
            x0 = max(0, cx - half)
            x1 = min(width, cx + half)
            row = row[:3 * x0] + disc * (x1 - x0) + row[3 * x1:]
        if band_top <= y < band_top + max(2, height // 14):
            row = band * width
        rows.append(row)
    return png_bytes(width, height, rows)


def make_avatar(index, size):
    c0, c1 = PALETTES[(index * 5) % len(PALETTES)]
    rows = []
    for y in range(size):
        t = y / max(1, size - 1)
        col = bytes(int(c0[k] + (c1[k] - c0[k]) * t) for k in range(3))
        rows.append(col * size)
    return png_bytes(size, size, rows)

# --------------------------------------------------------------------------
# Dates (Europe/Paris: CET, CEST from the last Sunday of March to the last
# Sunday of October, 01:00 UTC)

def last_sunday(year, month):
    d = datetime.date(year, month + 1, 1) - datetime.timedelta(days=1) if month < 12 else datetime.date(year, 12, 31)
    while d.weekday() != 6:
        d -= datetime.timedelta(days=1)
    return d


def paris_offset(local):
    start = datetime.datetime.combine(last_sunday(local.year, 3), datetime.time(2))
    end = datetime.datetime.combine(last_sunday(local.year, 10), datetime.time(3))
    return 2 if start <= local < end else 1


def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S")


def to_gmt(local):
    return local - datetime.timedelta(hours=paris_offset(local))


def rfc822(gmt):
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return "%s, %02d %s %d %02d:%02d:%02d +0000" % (
        days[gmt.weekday()], gmt.day, months[gmt.month - 1], gmt.year,
        gmt.hour, gmt.minute, gmt.second)

# --------------------------------------------------------------------------
# Builders

def curies():
    return [{"name": "wp", "href": "https://api.w.org/{rel}", "templated": True}]


def user_object(u):
    uid, name, slug, desc = u
    avatars = {str(s): "%s/wp-content/uploads/avatars/%s-%d.png" % (SITE, slug, s)
               for s in (24, 48, 96)}
    return {
        "id": uid, "name": name, "url": "", "description": desc,
        "link": "%s/author/%s/" % (SITE, slug), "slug": slug,
        "avatar_urls": avatars,
        "_links": {"self": [{"href": "%s/users/%d" % (API, uid)}],
                   "collection": [{"href": "%s/users" % API}]},
    }


def term_object(tid, name, slug, taxonomy, count, parent=0, description=""):
    base = "categories" if taxonomy == "category" else "tags"
    if taxonomy == "category":
        path = slug
        p = parent
        while p:
            path = CAT_BY_ID[p][2] + "/" + path
            p = CAT_BY_ID[p][3]
        link = "%s/category/%s/" % (SITE, path)
    else:
        link = "%s/tag/%s/" % (SITE, slug)
    obj = {
        "id": tid, "count": count, "description": description, "link": link,
        "name": esc(name), "slug": slug, "taxonomy": taxonomy,
    }
    if taxonomy == "category":
        obj["parent"] = parent
    obj["meta"] = []
    obj["_links"] = {
        "self": [{"href": "%s/%s/%d" % (API, base, tid)}],
        "collection": [{"href": "%s/%s" % (API, base)}],
        "about": [{"href": "%s/taxonomies/%s" % (API, taxonomy)}],
        "wp:post_type": [{"href": "%s/posts?%s=%d" % (API, base, tid)}],
        "curies": curies(),
    }
    if parent:
        obj["_links"]["up"] = [{"embeddable": True, "href": "%s/categories/%d" % (API, parent)}]
    return obj


def term_embed(t):
    return {k: t[k] for k in ("id", "link", "name", "slug", "taxonomy")} | {
        "_links": {k: t["_links"][k] for k in ("self", "collection", "about", "wp:post_type", "curies")}}


def media_object(mid, post_id, author, local, gmt, base_path, visual, title, caption, alt, sizes_info):
    url_full = "%s/wp-content/uploads/%s.png" % (SITE, base_path)
    sizes = {}
    for name, w, h in SIZES:
        f = "%s.png" % base_path if name == "full" else "%s-%dx%d.png" % (base_path, w, h)
        sizes[name] = {
            "file": os.path.basename(f), "width": w, "height": h,
            "filesize": sizes_info[(visual, name)], "mime_type": "image/png",
            "source_url": "%s/wp-content/uploads/%s" % (SITE, f),
        }
    slug = os.path.basename(base_path)
    return {
        "id": mid, "date": iso(local), "date_gmt": iso(gmt),
        "guid": {"rendered": url_full}, "modified": iso(local), "modified_gmt": iso(gmt),
        "slug": slug, "status": "inherit", "type": "attachment",
        "link": "%s/%s/" % (SITE, slug), "title": {"rendered": texturize_title(title)},
        "author": author, "comment_status": "open", "ping_status": "closed",
        "template": "", "meta": [],
        "description": {"rendered": "<p class=\"attachment\"><a href='%s'><img width=\"300\" height=\"169\" src=\"%s\" class=\"attachment-medium size-medium\" alt=\"\" /></a></p>\n" % (url_full, sizes["medium"]["source_url"])},
        "caption": {"rendered": "<p>%s</p>\n" % texturize_text(caption) if caption else ""},
        "alt_text": alt, "media_type": "image", "mime_type": "image/png",
        "media_details": {
            "width": 1200, "height": 675, "file": base_path + ".png",
            "filesize": sizes_info[(visual, "full")], "sizes": sizes,
            "image_meta": {"aperture": "0", "credit": "", "camera": "", "caption": "",
                           "created_timestamp": "0", "copyright": "", "focal_length": "0",
                           "iso": "0", "shutter_speed": "0", "title": "", "orientation": "0",
                           "keywords": []},
        },
        "post": post_id, "source_url": url_full,
        "_links": {"self": [{"href": "%s/media/%d" % (API, mid)}],
                   "collection": [{"href": "%s/media" % API}],
                   "about": [{"href": "%s/types/attachment" % API}],
                   "author": [{"embeddable": True, "href": "%s/users/%d" % (API, author)}],
                   "replies": [{"embeddable": True, "href": "%s/comments?post=%d" % (API, mid)}]},
    }


def media_embed(m):
    keys = ("id", "date", "slug", "type", "link", "title", "author", "featured_media",
            "caption", "alt_text", "media_type", "mime_type", "media_details", "source_url", "_links")
    out = {}
    for k in keys:
        if k == "featured_media":
            out[k] = 0
        else:
            out[k] = m[k]
    return out


def srcset(m):
    s = m["media_details"]["sizes"]
    return ", ".join("%s %dw" % (s[n]["source_url"], s[n]["width"])
                     for n in ("large", "medium", "medium_large", "full"))


def figure_html(m, caption, size="large"):
    s = m["media_details"]["sizes"][size]
    img = ('<img decoding="async" width="%d" height="%d" src="%s" alt="%s" class="wp-image-%d" '
           'srcset="%s" sizes="(max-width: %dpx) 100vw, %dpx" />' %
           (s["width"], s["height"], s["source_url"], esc(m["alt_text"]), m["id"],
            srcset(m), s["width"], s["width"]))
    cap_html = '<figcaption class="wp-element-caption">%s</figcaption>' % texturize_text(caption) if caption else ""
    return '<figure class="wp-block-image size-%s">%s%s</figure>' % (size.replace("_", "-"), img, cap_html)


def classic_figure_html(m, caption):
    s = m["media_details"]["sizes"]["large"]
    return ('<figure id="attachment_%d" aria-describedby="caption-attachment-%d" style="width: 1024px" '
            'class="wp-caption aligncenter"><img loading="lazy" decoding="async" class="size-large wp-image-%d" '
            'src="%s" alt="%s" width="%d" height="%d" srcset="%s" sizes="(max-width: 1024px) 100vw, 1024px" />'
            '<figcaption id="caption-attachment-%d" class="wp-caption-text">%s</figcaption></figure>' %
            (m["id"], m["id"], m["id"], s["source_url"], esc(m["alt_text"]), s["width"], s["height"],
             srcset(m), m["id"], texturize_text(caption)))


def youtube_id():
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    return "".join(rng.choice(alphabet) for _ in range(11))


def main():
    ap = argparse.ArgumentParser()
    global N_POSTS
    ap.add_argument("--output", required=True)
    ap.add_argument("--posts", type=int, default=N_POSTS,
                    help="number of posts (default %d, at least 8)" % N_POSTS)
    args = ap.parse_args()
    if args.posts < 8:
        ap.error("--posts must be at least 8")
    N_POSTS = args.posts
    out = args.output
    os.makedirs(os.path.join(out, "images"), exist_ok=True)

    # Images
    sizes_info = {}
    for v in range(N_VISUALS):
        for name, w, h in SIZES:
            data = make_visual(v, w, h)
            fname = "visuel-%02d.png" % v if name == "full" else "visuel-%02d-%dx%d.png" % (v, w, h)
            with open(os.path.join(out, "images", fname), "wb") as f:
                f.write(data)
            sizes_info[(v, name)] = len(data)
    uploads = {}
    for i, u in enumerate(AUTHORS):
        for s in (24, 48, 96):
            fname = "avatar-%d-%d.png" % (i, s)
            with open(os.path.join(out, "images", fname), "wb") as f:
                f.write(make_avatar(i, s))
            uploads["avatars/%s-%d.png" % (u[2], s)] = "images/" + fname

    # YouTube's poster of every video embed, served at /vi/<id>/hqdefault.jpg
    # (480×360 there; a 16:9 visual here): tests set the library's
    # youtube-posters to the test server, and never reach i.ytimg.com.
    uploads["video-poster.png"] = "images/visuel-00-768x432.png"

    def register_uploads(base_path, visual):
        for name, w, h in SIZES:
            if name == "full":
                uploads[base_path + ".png"] = "images/visuel-%02d.png" % visual
            else:
                uploads["%s-%dx%d.png" % (base_path, w, h)] = "images/visuel-%02d-%dx%d.png" % (visual, w, h)

    # Dates: spread over two years, newest last day is LAST_DAY.
    span = (LAST_DAY - FIRST_DAY).total_seconds()
    stamps = sorted(rng.random() for _ in range(N_POSTS - 4))
    locals_ = [FIRST_DAY + datetime.timedelta(seconds=int(span * t)) for t in stamps]
    locals_ = [d.replace(minute=(d.minute // 5) * 5, second=0) for d in locals_]
    # A busy last day (several posts on 2026-11-28).
    locals_ += [LAST_DAY.replace(hour=h, minute=m) for h, m in ((8, 30), (11, 5), (14, 20), (17, 45))]
    locals_.sort()

    cat_ids = [c[0] for c in CATEGORIES if c[0] != 1]
    tag_objs = {}
    tag_ids = {}
    for i, t in enumerate(TAGS):
        tag_ids[t] = 100 + i * 3
    posts, media, comments, embedded, extra = [], [], [], {}, {}
    private_media = []
    next_id = 350000
    next_comment = 81000
    cat_counts = {c: 0 for c in CAT_BY_ID}
    tag_counts = {t: 0 for t in TAGS}
    user_by_id = {u[0]: user_object(u) for u in AUTHORS}
    titles_seen = set()

    for index, local in enumerate(locals_):
        gmt = to_gmt(local)
        primary = cat_ids[index % len(cat_ids)] if index % 7 else pick(cat_ids)
        cats = [primary]
        if primary == 41:
            cats = [12, 41]
        elif rng.random() < 0.22:
            second = pick([c for c in cat_ids if c not in (primary, 41)])
            cats.append(second)
        subj, brand = pick(SUBJECTS[primary])
        person, role = pick(PEOPLE)
        ctx = {
            "s": subj, "S": cap(subj), "de_s": de(subj), "a_s": a(subj), "bare_s": bare(subj),
            "brand": brand, "Brand": cap(brand), "feature": pick(FEATURES), "problem": pick(PROBLEMS),
            "person": person, "role": role, "n": str(rng.randint(2, 48)), "pct": str(rng.randint(3, 38)),
            "month": pick(MONTHS), "country": pick(COUNTRIES), "adj": pick(ADJECTIVES),
            "quote": pick(QUOTES), "verdict": pick(VERDICTS),
        }
        templates = TEST_TITLE_TEMPLATES if primary == 37 else TITLE_TEMPLATES
        for _ in range(20):
            title = fill(pick(templates), ctx)
            if title not in titles_seen:
                break
            ctx["n"] = str(rng.randint(2, 48))
            ctx["month"] = pick(MONTHS)
        titles_seen.add(title)
        post_id = next_id + 1
        media_id = next_id
        next_id += rng.randint(4, 30)
        author = pick(AUTHORS)[0]
        slug = slugify(title)
        path = "/%04d/%02d/%02d/%s/" % (local.year, local.month, local.day, slug)
        link = SITE + path

        # Featured media
        visual = rng.randrange(N_VISUALS)
        ym = "%04d/%02d" % (local.year, local.month)
        featured = None
        featured_id = media_id
        if index % 61 == 17:
            featured_id = 0
        else:
            base_path = "%s/%s" % (ym, slug[:40].rstrip("-"))
            register_uploads(base_path, visual)
            featured = media_object(media_id, post_id, author, local, gmt, base_path, visual,
                                    bare(subj), pick(CAPTIONS) if rng.random() < 0.5 else "",
                                    "Illustration : " + bare(subj), sizes_info)
            if index % 47 == 5:
                private_media.append(media_id)
            media.append(featured)

        # In-body images
        def extra_media(n):
            nonlocal next_id
            ms = []
            for k in range(n):
                mid = next_id
                next_id += 1
                v = rng.randrange(N_VISUALS)
                bp = "%s/%s-%d" % (ym, slug[:32].rstrip("-"), k + 2)
                register_uploads(bp, v)
                m = media_object(mid, post_id, author, local, gmt, bp, v, bare(subj),
                                 "", "Photo : " + bare(subj), sizes_info)
                media.append(m)
                ms.append(m)
            return ms

        def sentence():
            pool = SENTENCES + CATEGORY_SENTENCES.get(primary, [])
            return fill(pick(pool), ctx | {"n": str(rng.randint(2, 48)),
                                           "pct": str(rng.randint(3, 38)),
                                           "feature": pick(FEATURES)})

        def paragraph(n=None):
            n = n or rng.randint(2, 4)
            parts = [texturize_text(sentence()) for _ in range(n)]
            r = rng.random()
            if r < 0.2:
                parts[0] = "<strong>%s</strong>" % parts[0]
            elif r < 0.35:
                other = posts[rng.randrange(len(posts))] if posts else None
                if other:
                    parts.append('À lire aussi : <a href="%s">%s</a>' % (other["link"], other["title"]["rendered"]))
            elif r < 0.45:
                parts[-1] = parts[-1] + ' (<a href="https://www.example.com/communique" target="_blank" rel="noreferrer noopener">communiqué</a>)'
            elif r < 0.5:
                parts[-1] = parts[-1] + " <em>Mise à jour : l’entreprise a répondu à nos questions.</em>"
            return " ".join(parts)

        classic = index % 13 == 6
        blocks = []
        intro = paragraph(3)
        if classic:
            # Classic editor: wpautop paragraphs, [caption] figures, <br />.
            blocks.append("<p>%s</p>" % intro)
            ms = extra_media(1)
            blocks.append(classic_figure_html(ms[0], pick(CAPTIONS)))
            blocks.append("<p>%s<br />\n%s</p>" % (paragraph(2), texturize_text(sentence())))
            blocks.append("<h3>%s</h3>" % texturize_text(pick(HEADINGS)))
            blocks.append("<p>%s</p>" % paragraph())
        else:
            blocks.append("<p>%s</p>" % intro)
            kinds = ["p", "p", "h2", "p", "figure", "p", "list", "quote", "p", "p", "video",
                     "h2", "p", "pullquote", "table", "gallery", "olist", "sep", "p"]
            n_blocks = rng.randint(3, 9)
            chosen = rng.sample(kinds, n_blocks)
            # Some features appear at fixed intervals so every kind exists.
            if index % 5 == 0:
                chosen.append("figure")
            if index % 9 == 2:
                chosen.append("video")
            if index % 8 == 3:
                chosen.append("quote")
            if index % 6 == 1:
                chosen.append("list")
            if index % 17 == 4:
                chosen.append("table")
            if index % 19 == 7:
                chosen.append("gallery")
            for kind in chosen:
                if kind == "p":
                    blocks.append("<p>%s</p>" % paragraph())
                elif kind == "h2":
                    blocks.append('<h2 class="wp-block-heading">%s</h2>' % texturize_text(pick(HEADINGS)))
                elif kind == "figure":
                    ms = extra_media(1)
                    blocks.append(figure_html(ms[0], pick(CAPTIONS) if rng.random() < 0.8 else ""))
                elif kind == "list":
                    items = rng.sample(LIST_ITEMS, rng.randint(3, 5))
                    blocks.append('<ul class="wp-block-list">%s</ul>' %
                                  "".join("<li>%s</li>" % texturize_text(x) for x in items))
                elif kind == "olist":
                    items = [sentence() for _ in range(3)]
                    blocks.append('<ol class="wp-block-list">%s</ol>' %
                                  "".join("<li>%s</li>" % texturize_text(x) for x in items))
                elif kind == "quote":
                    p2, r2 = pick(PEOPLE)
                    blocks.append('<blockquote class="wp-block-quote"><p>%s</p><cite>%s, %s</cite></blockquote>' %
                                  (texturize_text(sentence()), p2, texturize_text(r2)))
                elif kind == "pullquote":
                    blocks.append('<figure class="wp-block-pullquote"><blockquote><p>%s</p><cite>%s</cite></blockquote></figure>' %
                                  (texturize_text("« " + pick(QUOTES) + " »"), esc(pick(PEOPLE)[0])))
                elif kind == "video":
                    vt = pick(VIDEO_TITLES) + " " + de(subj)
                    blocks.append(
                        '<figure class="wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube '
                        'wp-embed-aspect-16-9 wp-has-aspect-ratio"><div class="wp-block-embed__wrapper">\n'
                        '<iframe loading="lazy" title="%s" width="640" height="360" '
                        'src="https://www.youtube.com/embed/%s?feature=oembed" frameborder="0" '
                        'allow="accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; '
                        'picture-in-picture; web-share" referrerpolicy="strict-origin-when-cross-origin" '
                        'allowfullscreen></iframe>\n</div><figcaption class="wp-element-caption">%s</figcaption></figure>' %
                        (html.escape(vt, quote=True), youtube_id(), texturize_text(vt)))
                elif kind == "table":
                    rows = "".join(
                        "<tr><td>%s</td><td>%s</td><td>%s</td></tr>" %
                        (texturize_text(x), "%d €" % rng.randint(199, 1499), pick(["Oui", "Non", "En option"]))
                        for x in rng.sample(LIST_ITEMS, 3))
                    blocks.append(
                        '<figure class="wp-block-table"><table><thead><tr><th>Caractéristique</th><th>Prix</th>'
                        '<th>Disponible</th></tr></thead><tbody>%s</tbody></table>'
                        '<figcaption class="wp-element-caption">Comparatif des versions</figcaption></figure>' % rows)
                elif kind == "gallery":
                    ms = extra_media(3)
                    inner = "".join(figure_html(m, "") for m in ms)
                    blocks.append('<figure class="wp-block-gallery has-nested-images columns-3 is-cropped">%s'
                                  '<figcaption class="blocks-gallery-caption wp-element-caption">%s</figcaption></figure>' %
                                  (inner, texturize_text(pick(CAPTIONS))))
                elif kind == "sep":
                    blocks.append('<hr class="wp-block-separator has-alpha-channel-opacity"/>')
        content = "\n\n\n\n".join(blocks) + "\n"
        if "]]>" in content:
            raise ValueError("content must not contain ]]>")

        # Excerpt: 55 words + [&hellip;], or a hand-written one.
        intro_text = html_to_text(intro)
        if index % 11 == 3:
            excerpt_text = sentence()
            excerpt = "<p>%s</p>\n" % texturize_text(excerpt_text)
        else:
            words = intro_text.split()
            excerpt_text = " ".join(words[:55])
            excerpt = "<p>%s [&hellip;]</p>\n" % texturize_text(excerpt_text)

        modified = local + datetime.timedelta(minutes=rng.choice([0, 0, 0, 12, 95, 1440, 4000]))
        if modified > LAST_DAY.replace(hour=23):
            modified = local
        modified_gmt = to_gmt(modified)

        # Tags
        n_tags = rng.randint(0, 4)
        post_tags = rng.sample(TAGS, n_tags)
        for t in post_tags:
            tag_counts[t] += 1
        for c in cats:
            cat_counts[c] += 1

        comment_status = "closed" if index % 10 == 4 else "open"
        post = {
            "id": post_id, "date": iso(local), "date_gmt": iso(gmt),
            "guid": {"rendered": "%s/?p=%d" % (SITE, post_id)},
            "modified": iso(modified), "modified_gmt": iso(modified_gmt),
            "slug": slug, "status": "publish", "type": "post", "link": link,
            "title": {"rendered": texturize_title(title)},
            "content": {"rendered": content, "protected": False},
            "excerpt": {"rendered": excerpt, "protected": False},
            "author": author, "featured_media": featured_id,
            "comment_status": comment_status, "ping_status": "open",
            "sticky": index == len(locals_) - 6, "template": "", "format": "standard",
            "meta": {"footnotes": ""},
            "categories": cats, "tags": [tag_ids[t] for t in post_tags],
            "class_list": ["post-%d" % post_id, "post", "type-post", "status-publish",
                           "format-standard", "hentry"] + ["category-" + CAT_BY_ID[c][2] for c in cats],
        }
        links = {
            "self": [{"href": "%s/posts/%d" % (API, post_id)}],
            "collection": [{"href": "%s/posts" % API}],
            "about": [{"href": "%s/types/post" % API}],
            "author": [{"embeddable": True, "href": "%s/users/%d" % (API, author)}],
            "replies": [{"embeddable": True, "href": "%s/comments?post=%d" % (API, post_id)}],
            "version-history": [{"count": 1, "href": "%s/posts/%d/revisions" % (API, post_id)}],
        }
        if featured_id:
            links["wp:featuredmedia"] = [{"embeddable": True, "href": "%s/media/%d" % (API, featured_id)}]
        links["wp:attachment"] = [{"href": "%s/media?parent=%d" % (API, post_id)}]
        links["wp:term"] = [
            {"taxonomy": "category", "embeddable": True, "href": "%s/categories?post=%d" % (API, post_id)},
            {"taxonomy": "post_tag", "embeddable": True, "href": "%s/tags?post=%d" % (API, post_id)},
        ]
        links["curies"] = curies()
        post["_links"] = links

        # Comments on ~30% of posts, a few threaded
        post_comments = []
        if index % 10 in (1, 4, 7) and index < len(locals_) - 1:
            n = rng.randint(1, 7)
            when = gmt
            for k in range(n):
                when = when + datetime.timedelta(minutes=rng.randint(7, 600))
                if when > to_gmt(LAST_DAY.replace(hour=23)):
                    break
                parent = 0
                text = pick(COMMENT_TEXTS)
                if post_comments and rng.random() < 0.3:
                    parent = pick(post_comments)["id"]
                    text = pick(REPLY_TEXTS)
                cid = next_comment
                next_comment += rng.randint(1, 9)
                name = pick(COMMENTERS)
                cl = when + datetime.timedelta(hours=paris_offset(when))
                c = {
                    "id": cid, "post": post_id, "parent": parent, "author": 0,
                    "author_name": name, "author_url": "", "date": iso(cl), "date_gmt": iso(when),
                    "content": {"rendered": "<p>%s</p>\n" % texturize_text(text)},
                    "link": "%s#comment-%d" % (link, cid), "status": "approved", "type": "comment",
                    "author_avatar_urls": {str(s): "%s/wp-content/uploads/avatars/%s-%d.png" % (SITE, AUTHORS[cid % len(AUTHORS)][2], s) for s in (24, 48, 96)},
                    "meta": [],
                    "_links": {"self": [{"href": "%s/comments/%d" % (API, cid)}],
                               "collection": [{"href": "%s/comments" % API}],
                               "up": [{"embeddable": True, "post_type": "post", "href": "%s/posts/%d" % (API, post_id)}]},
                }
                if parent:
                    c["_links"]["in-reply-to"] = [{"embeddable": True, "href": "%s/comments/%d" % (API, parent)}]
                post_comments.append(c)
        comments.extend(post_comments)

        emb = {"author": [user_by_id[author]]}
        if featured is not None:
            if featured["id"] in private_media:
                emb["wp:featuredmedia"] = [{
                    "code": "rest_forbidden",
                    "message": "Désolé, vous n’avez pas l’autorisation de voir ce média.",
                    "data": {"status": 403}}]
            else:
                emb["wp:featuredmedia"] = [media_embed(featured)]
        # wp:term filled after the term counts are known
        emb["replies"] = [[{k: c[k] for k in ("id", "parent", "author", "author_name", "author_url",
                                               "date", "content", "link", "type", "author_avatar_urls",
                                               "_links")} for c in sorted(post_comments, key=lambda c: c["date_gmt"], reverse=True)]] if post_comments else None
        embedded[str(post_id)] = emb

        text_title = title
        extra[str(post_id)] = {
            "path": path,
            "search": "\n".join((text_title, html_to_text(excerpt), html_to_text(content))),
            "rss_title": rss_safe(texturize_title(title)),
            "rss_description": rss_safe(texturize_text(excerpt_text)) + (" [&#8230;]" if "[&hellip;]" in excerpt else ""),
            "comment_count": len(post_comments),
            "categories_text": [CAT_BY_ID[c][1] for c in cats],
            "tags_text": post_tags,
            "author_name": [u[1] for u in AUTHORS if u[0] == author][0],
        }
        posts.append(post)

    categories = [term_object(c[0], c[1], c[2], "category", cat_counts[c[0]], c[3], c[4]) for c in CATEGORIES]
    tags = [term_object(tag_ids[t], t, slugify(t), "post_tag", tag_counts[t]) for t in TAGS]
    cat_by = {c["id"]: c for c in categories}
    tag_by = {t["id"]: t for t in tags}
    for p in posts:
        emb = embedded[str(p["id"])]
        emb["wp:term"] = [[term_embed(cat_by[c]) for c in p["categories"]],
                          [term_embed(tag_by[t]) for t in p["tags"]]]
        if emb.get("replies") is None:
            emb.pop("replies", None)
        # stable key order: author, wp:featuredmedia, wp:term, replies
        order = ["author", "replies", "wp:featuredmedia", "wp:term"]
        embedded[str(p["id"])] = {k: emb[k] for k in order if k in emb}

    posts.sort(key=lambda p: (p["date_gmt"], p["id"]), reverse=True)
    site = {
        "name": SITE_NAME,
        "description": SITE_DESCRIPTION,
        "url": SITE,
        "gmt_offset": 1,
        "timezone_string": "Europe/Paris",
        "modified_gmt": max(p["modified_gmt"] for p in posts),
        "categories": categories,
        "tags": tags,
        "users": list(user_by_id.values()),
        "media": media,
        "private_media": private_media,
        "posts": posts,
        "embedded": embedded,
        "comments": comments,
        "extra": extra,
        "uploads": uploads,
    }
    tmp = os.path.join(out, "site.json.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(site, f, ensure_ascii=False, indent=None, separators=(",", ":"))
    os.replace(tmp, os.path.join(out, "site.json"))


if __name__ == "__main__":
    main()
