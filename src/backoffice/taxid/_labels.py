"""Names of the identifier kinds the library documents, in English, French and
Brazilian Portuguese. Other kinds take their name from python-stdnum's description."""

from __future__ import annotations

from typing import Final

LABELS: Final[dict[tuple[str, str], dict[str, str]]] = {
    ("FR", "siren"): {"en": "SIREN", "fr": "SIREN", "pt": "SIREN"},
    ("FR", "siret"): {"en": "SIRET", "fr": "SIRET", "pt": "SIRET"},
    ("FR", "tva"): {
        "en": "French VAT number",
        "fr": "numéro de TVA intracommunautaire",
        "pt": "número de IVA francês",
    },
    ("FR", "nif"): {
        "en": "French tax number (NIF)",
        "fr": "numéro fiscal (NIF)",
        "pt": "número fiscal francês (NIF)",
    },
    ("FR", "nir"): {
        "en": "French social security number (NIR)",
        "fr": "numéro de sécurité sociale (NIR)",
        "pt": "número de seguridade social francês (NIR)",
    },
    ("FR", "rcs"): {
        "en": "French trade register number (RCS)",
        "fr": "numéro RCS",
        "pt": "número de registro comercial francês (RCS)",
    },
    ("BR", "cnpj"): {"en": "CNPJ", "fr": "CNPJ", "pt": "CNPJ"},
    ("BR", "cpf"): {"en": "CPF", "fr": "CPF", "pt": "CPF"},
    ("PT", "nif"): {
        "en": "Portuguese tax number (NIF)",
        "fr": "numéro fiscal portugais (NIF)",
        "pt": "NIF",
        "pt_PT": "NIF",
    },
    ("PT", "cc"): {
        "en": "Portuguese citizen card number",
        "fr": "numéro de carte de citoyen portugaise",
        "pt": "número do Cartão de Cidadão",
    },
    ("INT", "iban"): {"en": "IBAN", "fr": "IBAN", "pt": "IBAN"},
    ("INT", "bic"): {"en": "BIC", "fr": "BIC", "pt": "BIC"},
    ("INT", "lei"): {"en": "LEI", "fr": "LEI", "pt": "LEI"},
    ("EU", "vat"): {
        "en": "EU VAT number",
        "fr": "numéro de TVA intracommunautaire",
        "pt": "número de IVA intracomunitário",
    },
}
