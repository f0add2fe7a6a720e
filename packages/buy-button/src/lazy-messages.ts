/**
 * German, Spanish, Italian, Dutch and Portuguese. The npm build imports them here, with English
 * and French, so `MESSAGES` has every language at once and nothing is ever fetched. The
 * script-tag bundle replaces this module with src/bundle-lazy-messages.ts, which fetches them from
 * the BFF; the build writes each one as `dist/buy-button.<lang>.json` (see vite.config.ts).
 *
 * Texts follow `en` in messages.ts, id for id; `{amount}` stays as it is.
 */
import type { LazyLanguage } from './languages.js';
import type { Messages } from './messages.js';

const deUnavailable = 'Diese Zahlungsschaltfläche ist nicht verfügbar.';
const deRejected = 'Diese Zahlung konnte nicht gestartet werden.';
const esUnavailable = 'Este botón de pago no está disponible.';
const esRejected = 'No se pudo iniciar este pago.';
const itUnavailable = 'Questo pulsante di pagamento non è disponibile.';
const itRejected = 'Impossibile avviare questo pagamento.';
const nlUnavailable = 'Deze betaalknop is niet beschikbaar.';
const nlRejected = 'Deze betaling kon niet worden gestart.';
const ptUnavailable = 'Este botão de pagamento não está disponível.';
const ptRejected = 'Não foi possível iniciar este pagamento.';

export const LAZY_MESSAGES: Readonly<Record<LazyLanguage, Messages>> = {
  de: {
    label: 'Mit Krypto bezahlen',
    labelWithPrice: '{amount} mit Krypto bezahlen',
    'invalid-config': deUnavailable,
    network: 'Keine Verbindung zum Zahlungsdienst. Bitte versuchen Sie es erneut.',
    timeout: 'Der Zahlungsdienst hat nicht geantwortet. Bitte versuchen Sie es erneut.',
    'origin-not-allowed': 'Zahlungen sind für diese Seite nicht eingerichtet.',
    'unknown-button': deUnavailable,
    'invalid-price':
      'Dieser Betrag wird nicht akzeptiert. Bitte geben Sie einen anderen Betrag ein.',
    'invalid-quantity': 'Diese Menge ist nicht verfügbar. Bitte wählen Sie eine andere Menge.',
    'invalid-reference': deUnavailable,
    'catalog-mismatch': deUnavailable,
    'invalid-redirect-url': deUnavailable,
    'in-progress': 'Ihre Zahlung wird noch vorbereitet. Bitte versuchen Sie es gleich noch einmal.',
    'body-too-large': deRejected,
    'rate-limited': 'Zu viele Versuche. Bitte warten Sie eine Minute.',
    rejected: deRejected,
    unavailable: 'Die Zahlung ist derzeit nicht möglich. Bitte versuchen Sie es erneut.',
  },
  es: {
    label: 'Pagar con cripto',
    labelWithPrice: 'Pagar {amount} con cripto',
    'invalid-config': esUnavailable,
    network: 'Sin conexión con el servicio de pago. Inténtalo de nuevo.',
    timeout: 'El servicio de pago no respondió. Inténtalo de nuevo.',
    'origin-not-allowed': 'Los pagos no están configurados en esta página.',
    'unknown-button': esUnavailable,
    'invalid-price': 'Este importe no se acepta. Introduce otro importe.',
    'invalid-quantity': 'Esta cantidad no está disponible. Elige otra cantidad.',
    'invalid-reference': esUnavailable,
    'catalog-mismatch': esUnavailable,
    'invalid-redirect-url': esUnavailable,
    'in-progress': 'Tu pago aún se está preparando. Inténtalo de nuevo en un momento.',
    'body-too-large': esRejected,
    'rate-limited': 'Demasiados intentos. Espera un minuto.',
    rejected: esRejected,
    unavailable: 'El pago no está disponible en este momento. Inténtalo de nuevo.',
  },
  it: {
    label: 'Paga con crypto',
    labelWithPrice: 'Paga {amount} con crypto',
    'invalid-config': itUnavailable,
    network: 'Nessuna connessione al servizio di pagamento. Riprova.',
    timeout: 'Il servizio di pagamento non ha risposto. Riprova.',
    'origin-not-allowed': 'I pagamenti non sono configurati per questa pagina.',
    'unknown-button': itUnavailable,
    'invalid-price': 'Questo importo non è accettato. Inserisci un altro importo.',
    'invalid-quantity': 'Questa quantità non è disponibile. Scegli un’altra quantità.',
    'invalid-reference': itUnavailable,
    'catalog-mismatch': itUnavailable,
    'invalid-redirect-url': itUnavailable,
    'in-progress': 'Il pagamento è ancora in preparazione. Riprova tra un momento.',
    'body-too-large': itRejected,
    'rate-limited': 'Troppi tentativi. Attendi un minuto.',
    rejected: itRejected,
    unavailable: 'Il pagamento non è disponibile al momento. Riprova.',
  },
  nl: {
    label: 'Betalen met crypto',
    labelWithPrice: '{amount} betalen met crypto',
    'invalid-config': nlUnavailable,
    network: 'Geen verbinding met de betaaldienst. Probeer het opnieuw.',
    timeout: 'De betaaldienst reageerde niet. Probeer het opnieuw.',
    'origin-not-allowed': 'Betalingen zijn niet ingesteld voor deze pagina.',
    'unknown-button': nlUnavailable,
    'invalid-price': 'Dit bedrag wordt niet geaccepteerd. Voer een ander bedrag in.',
    'invalid-quantity': 'Dit aantal is niet beschikbaar. Kies een ander aantal.',
    'invalid-reference': nlUnavailable,
    'catalog-mismatch': nlUnavailable,
    'invalid-redirect-url': nlUnavailable,
    'in-progress': 'Je betaling wordt nog voorbereid. Probeer het zo opnieuw.',
    'body-too-large': nlRejected,
    'rate-limited': 'Te veel pogingen. Wacht een minuut.',
    rejected: nlRejected,
    unavailable: 'Betalen is nu niet mogelijk. Probeer het opnieuw.',
  },
  // Words shared by European and Brazilian Portuguese where they differ (`pt-PT` and `pt-BR`
  // both read this table).
  pt: {
    label: 'Pagar com cripto',
    labelWithPrice: 'Pagar {amount} com cripto',
    'invalid-config': ptUnavailable,
    network: 'Sem conexão com o serviço de pagamento. Tente novamente.',
    timeout: 'O serviço de pagamento não respondeu. Tente novamente.',
    'origin-not-allowed': 'Os pagamentos não estão configurados nesta página.',
    'unknown-button': ptUnavailable,
    'invalid-price': 'Este valor não é permitido. Insira outro valor.',
    'invalid-quantity': 'Esta quantidade não está disponível. Escolha outra quantidade.',
    'invalid-reference': ptUnavailable,
    'catalog-mismatch': ptUnavailable,
    'invalid-redirect-url': ptUnavailable,
    'in-progress': 'O pagamento ainda está em preparação. Tente novamente daqui a pouco.',
    'body-too-large': ptRejected,
    'rate-limited': 'Muitas tentativas. Aguarde um minuto.',
    rejected: ptRejected,
    unavailable: 'O pagamento está indisponível no momento. Tente novamente.',
  },
};

/**
 * Loads a language the table above lacks: never, here (every language is in `MESSAGES`). The
 * script-tag bundle's stand-in fetches it from `endpoint`.
 */
export function loadMessages(
  _language: string,
  _endpoint: string,
  _base: Messages,
  _onLoad?: () => void,
): Messages | undefined {
  return undefined;
}
