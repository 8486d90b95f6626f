"""French and Brazilian Portuguese templates for the errors of :mod:`backoffice.errors`.

English templates are the ``template`` of each error class. Placeholders are the same
in every language (a test checks it). Later capabilities register their own codes with
:func:`backoffice.core.l10n.register_messages`.
"""

from __future__ import annotations

CATALOGS: dict[str, dict[str, str]] = {
    "fr": {
        "backoffice.error": "erreur de gestion",
        "validation.failed": "{count} problème(s) dans les données : {summary}",
        "value.float_not_allowed": (
            "{field} n'accepte pas de nombre à virgule flottante ({value!r}) : un float ne "
            "représente pas exactement un montant décimal ; passez une chaîne ou un Decimal, "
            "par exemple {example}"
        ),
        "value.invalid_type": "{field} doit être {expected}, reçu {got}",
        "value.invalid": "{field} : {reason}",
        "value.division_by_zero": "{field} vaut zéro : division par zéro impossible",
        "value.invalid_number": "{field} doit être un nombre décimal fini, reçu {value!r}",
        "value.too_many_decimals": (
            "{field} {value} a plus de {decimals} décimale(s) ; arrondissez explicitement, "
            "par exemple {example}"
        ),
        "money.unknown_currency": (
            "devise inconnue {currency!r} : utilisez un code ISO 4217 comme 'EUR', 'BRL' ou 'USD'"
        ),
        "money.currency_mismatch": (
            "opération « {operation} » impossible entre {left} et {right} : les devises "
            "diffèrent ; convertissez d'abord l'un des deux explicitement"
        ),
        "money.rounding": "arrondi impossible : {reason}",
        "money.rounding_required": (
            "{operation} peut nécessiter un arrondi : utilisez {fix} en nommant l'arrondi"
        ),
        "money.invalid_rate": (
            "{field} {value} est hors de l'intervalle permis [{minimum}, {maximum}]"
        ),
        "money.allocation": "répartition impossible : {reason}",
        "money.parse": "impossible de lire {text!r} comme un montant en {locale} : {reason}",
        "quantity.unknown_unit": (
            "unité inconnue {unit!r} : utilisez un code de la Recommandation 20 de la "
            "CEE-ONU comme 'C62', 'KGM' ou 'LTR'"
        ),
        "quantity.incompatible_units": (
            "opération « {operation} » impossible entre {left} et {right} : {reason}"
        ),
        "quantity.inexact_conversion": (
            "{quantity} ne fait pas un nombre décimal exact de {unit} ; passez une règle "
            "d'arrondi pour convertir en arrondissant"
        ),
        "time.naive_datetime": (
            "{field} doit porter un fuseau horaire, reçu la date-heure naïve {value} ; "
            "ajoutez un fuseau, par exemple datetime(2026, 1, 31, 12, 0, tzinfo=timezone.utc)"
        ),
        "time.invalid_period": "période invalide : {reason}",
        "l10n.unknown_locale": (
            "locale inconnue {locale!r} : utilisez un identifiant comme 'fr_FR', 'pt_BR' ou 'en_US'"
        ),
        "taxid.invalid": "{value} n'est pas un {label} valide : {reason}",
        "taxid.invalid_format": (
            "{value} n'est pas un {label} valide : il contient des caractères ou a une forme "
            "impossibles"
        ),
        "taxid.invalid_length": (
            "{value} n'est pas un {label} valide : son nombre de caractères est incorrect"
        ),
        "taxid.invalid_checksum": (
            "{value} n'est pas un {label} valide : sa clé de contrôle ne correspond pas "
            "(une faute de frappe ?)"
        ),
        "taxid.invalid_component": (
            "{value} n'est pas un {label} valide : l'une de ses parties a une valeur impossible"
        ),
        "taxid.mismatch": "{value} ne correspond pas à {other}",
        "taxid.not_recognised": (
            "{value} n'est un identifiant valide d'aucun des types essayés ({tried}) ; "
            "précisez country= et kind="
        ),
        "taxid.unknown_country": (
            "aucun identifiant connu pour le pays {country!r} : utilisez un code ISO 3166 "
            "comme 'FR'"
        ),
        "taxid.unknown_kind": (
            "aucun type d'identifiant {kind!r} pour {country} ; types connus : {known}"
        ),
        "taxid.verification_failed": "le numéro de TVA n'a pas pu être vérifié : {reason}",
        "taxid.service_unavailable": (
            "le service de vérification de TVA est indisponible ({reason}) ; réessayez plus tard"
        ),
        "taxid.request_rejected": (
            "le service de vérification de TVA a refusé la demande : {reason}"
        ),
        "storage.error": "le stockage a échoué : {reason}",
        "storage.unsupported_url": (
            "impossible d'ouvrir {url!r} : utilisez memory://, sqlite:///chemin/fichier.db ou "
            "postgresql://utilisateur@hote/base"
        ),
        "storage.schema_mismatch": (
            "le schéma de la base est en version {found}, cette bibliothèque utilise la "
            "version {expected} : {fix}"
        ),
        "storage.concurrency_conflict": (
            "la transaction est restée en conflit après {attempts} tentatives ; réessayez"
        ),
        "storage.duplicate": "{record} {key!r} existe déjà",
        "storage.idempotency_conflict": (
            "la clé d'idempotence {key!r} a servi pour une autre demande ; utilisez une "
            "nouvelle clé pour une nouvelle demande"
        ),
        "storage.not_found": "aucun(e) {record} {key!r}",
        "inventory.insufficient_stock": "stock insuffisant : {summary}",
        "inventory.reservation_not_active": (
            "la réservation {reservation!r} est {status} : elle ne retient plus de stock"
        ),
        "period.locked": (
            "{field} ({effective}) tombe à la date de clôture {lock_date} ou avant : "
            "la période est close ; datez l'écriture dans une période ouverte"
        ),
        "einvoice.unreadable": "impossible de lire la facture électronique : {reason}",
        "invoicing.issued": (
            "la facture {key!r} est émise sous le numéro {number} : elle ne peut être ni "
            "modifiée ni supprimée ; émettez un avoir qui la référence"
        ),
        "invoicing.allocation_exceeded": (
            "{field} ({amount}) dépasse {what} ({available}) ; imputez au plus ce montant"
        ),
        "payroll.run_closed": (
            "la paie {key!r} est clôturée : elle ne prend plus de bulletins ; enregistrez "
            "une régularisation dans une paie ultérieure"
        ),
        "compliance.duplicate_rule": (
            "une règle {rule_id!r} est déjà dans le jeu de règles : donnez à chaque règle son "
            "propre identifiant, ou construisez un jeu sans l'autre"
        ),
        "compliance.self_approval": (
            "{field} : {actor!r} a créé {document!r} et ne peut pas l'approuver ; "
            "demandez à un approbateur qui ne l'a pas créé"
        ),
        "compliance.duplicate_decision": (
            "{field} : {actor!r} s'est déjà prononcé sur {document!r} ; "
            "chaque approbation exige un approbateur différent"
        ),
        "compliance.approval_not_pending": (
            "l'approbation de {document!r} est {state} : elle ne reçoit plus de décision ; "
            "soumettez une nouvelle demande d'approbation"
        ),
        "compliance.retention_not_over": (
            "l'écriture {sequence} de {series!r} doit être conservée jusqu'au {until} "
            "({source}) : rien n'a été purgé ; ne purgez que les écritures dont la durée de "
            "conservation est écoulée"
        ),
    },
    "pt_BR": {
        "backoffice.error": "erro de retaguarda",
        "validation.failed": "{count} problema(s) nos dados: {summary}",
        "value.float_not_allowed": (
            "{field} não aceita número de ponto flutuante ({value!r}): um float não "
            "representa exatamente um valor decimal; passe uma string ou um Decimal, por "
            "exemplo {example}"
        ),
        "value.invalid_type": "{field} deve ser {expected}, recebido {got}",
        "value.invalid": "{field}: {reason}",
        "value.division_by_zero": "{field} é zero: não é possível dividir por zero",
        "value.invalid_number": "{field} deve ser um número decimal finito, recebido {value!r}",
        "value.too_many_decimals": (
            "{field} {value} tem mais de {decimals} casa(s) decimal(is); arredonde "
            "explicitamente, por exemplo {example}"
        ),
        "money.unknown_currency": (
            "moeda desconhecida {currency!r}: use um código ISO 4217 como 'EUR', 'BRL' ou 'USD'"
        ),
        "money.currency_mismatch": (
            "operação '{operation}' impossível entre {left} e {right}: as moedas são "
            "diferentes; converta uma delas explicitamente antes"
        ),
        "money.rounding": "não é possível arredondar: {reason}",
        "money.rounding_required": (
            "{operation} pode exigir arredondamento: use {fix} e indique o arredondamento"
        ),
        "money.invalid_rate": (
            "{field} {value} está fora do intervalo permitido [{minimum}, {maximum}]"
        ),
        "money.allocation": "não é possível ratear: {reason}",
        "money.parse": "não é possível ler {text!r} como valor em {locale}: {reason}",
        "quantity.unknown_unit": (
            "unidade desconhecida {unit!r}: use um código da Recomendação 20 da UNECE como "
            "'C62', 'KGM' ou 'LTR'"
        ),
        "quantity.incompatible_units": (
            "operação '{operation}' impossível entre {left} e {right}: {reason}"
        ),
        "quantity.inexact_conversion": (
            "{quantity} não é um número decimal exato de {unit}; passe uma regra de "
            "arredondamento para converter arredondando"
        ),
        "time.naive_datetime": (
            "{field} deve ter fuso horário, recebida a data-hora ingênua {value}; informe um "
            "fuso, por exemplo datetime(2026, 1, 31, 12, 0, tzinfo=timezone.utc)"
        ),
        "time.invalid_period": "período inválido: {reason}",
        "l10n.unknown_locale": (
            "localidade desconhecida {locale!r}: use um identificador como 'fr_FR', 'pt_BR' "
            "ou 'en_US'"
        ),
        "taxid.invalid": "{value} não é um {label} válido: {reason}",
        "taxid.invalid_format": (
            "{value} não é um {label} válido: contém caracteres ou tem um formato impossíveis"
        ),
        "taxid.invalid_length": (
            "{value} não é um {label} válido: a quantidade de caracteres está errada"
        ),
        "taxid.invalid_checksum": (
            "{value} não é um {label} válido: os dígitos verificadores não conferem (erro de "
            "digitação?)"
        ),
        "taxid.invalid_component": (
            "{value} não é um {label} válido: uma das partes tem um valor impossível"
        ),
        "taxid.mismatch": "{value} não corresponde a {other}",
        "taxid.not_recognised": (
            "{value} não é um identificador válido de nenhum dos tipos testados ({tried}); "
            "informe country= e kind="
        ),
        "taxid.unknown_country": (
            "nenhum identificador conhecido para o país {country!r}: use um código ISO 3166 "
            "como 'BR'"
        ),
        "taxid.unknown_kind": (
            "nenhum tipo de identificador {kind!r} para {country}; tipos conhecidos: {known}"
        ),
        "taxid.verification_failed": "não foi possível verificar o número de IVA: {reason}",
        "taxid.service_unavailable": (
            "o serviço de verificação de IVA está indisponível ({reason}); tente novamente "
            "mais tarde"
        ),
        "taxid.request_rejected": "o serviço de verificação de IVA recusou o pedido: {reason}",
        "storage.error": "o armazenamento falhou: {reason}",
        "storage.unsupported_url": (
            "não é possível abrir {url!r}: use memory://, sqlite:///caminho/arquivo.db ou "
            "postgresql://usuario@host/banco"
        ),
        "storage.schema_mismatch": (
            "o esquema do banco está na versão {found}, esta biblioteca usa a versão "
            "{expected}: {fix}"
        ),
        "storage.concurrency_conflict": (
            "a transação continuou em conflito após {attempts} tentativas; tente novamente"
        ),
        "storage.duplicate": "{record} {key!r} já existe",
        "storage.idempotency_conflict": (
            "a chave de idempotência {key!r} foi usada para outro pedido; use uma nova chave "
            "para um novo pedido"
        ),
        "storage.not_found": "nenhum(a) {record} {key!r}",
        "inventory.insufficient_stock": "estoque insuficiente: {summary}",
        "inventory.reservation_not_active": (
            "a reserva {reservation!r} está {status}: não retém mais estoque"
        ),
        "period.locked": (
            "{field} ({effective}) cai na data de fechamento {lock_date} ou antes: o "
            "período está fechado; date o lançamento em um período aberto"
        ),
        "einvoice.unreadable": "não é possível ler a fatura eletrônica: {reason}",
        "invoicing.issued": (
            "a fatura {key!r} foi emitida com o número {number}: não pode ser alterada "
            "nem excluída; emita uma nota de crédito que a referencie"
        ),
        "invoicing.allocation_exceeded": (
            "{field} ({amount}) excede {what} ({available}); aloque no máximo esse valor"
        ),
        "payroll.run_closed": (
            "a folha {key!r} está fechada: não recebe mais holerites; registre a correção "
            "em uma folha posterior"
        ),
        "compliance.duplicate_rule": (
            "uma regra {rule_id!r} já está no conjunto de regras: dê a cada regra seu próprio "
            "identificador, ou monte um conjunto sem a outra"
        ),
        "compliance.self_approval": (
            "{field}: {actor!r} criou {document!r} e não pode aprová-lo; "
            "peça a um aprovador que não o tenha criado"
        ),
        "compliance.duplicate_decision": (
            "{field}: {actor!r} já decidiu sobre {document!r}; "
            "cada aprovação exige um aprovador diferente"
        ),
        "compliance.approval_not_pending": (
            "a aprovação de {document!r} está {state}: não recebe mais decisões; "
            "envie um novo pedido de aprovação"
        ),
        "compliance.retention_not_over": (
            "o lançamento {sequence} de {series!r} deve ser guardado até {until} "
            "({source}): nada foi expurgado; expurgue apenas lançamentos cujo prazo de "
            "guarda terminou"
        ),
    },
}
