package org.orbita.channels;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.jsmpp.InvalidResponseException;
import org.jsmpp.PDUException;
import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.Alphabet;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.DeliveryReceipt;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.GSMSpecificFeature;
import org.jsmpp.bean.GeneralDataCoding;
import org.jsmpp.bean.MessageMode;
import org.jsmpp.bean.MessageType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.SMSCDeliveryReceipt;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.extra.ResponseTimeoutException;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.Session;
import org.jsmpp.util.DeliveryReceiptState;
import org.jsmpp.util.InvalidDeliveryReceiptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SMS over SMPP 3.4 to an SMSC (jSMPP): one transceiver session, bound when first needed and bound
 * again after the link drops. Texts in the GSM 03.38 alphabet go as GSM septets (160 a message,
 * 153 a part), others as UCS-2 (70, 67 a part); longer texts are cut into parts joined by a
 * concatenation header (UDH, {@code esm_class} 0x40). Delivery receipts are asked for and reported
 * as they arrive. The SMSC's {@code command_status} decides: throttling, a full queue and system
 * errors are tried again; a bad destination makes the address unreachable; the rest fail with
 * the status's name. A number that is not E.164 is refused here.
 */
public final class SmppSmsProvider implements ChannelProvider, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SmppSmsProvider.class);

    /** ESME_RMSGQFUL, ESME_RTHROTTLED, ESME_RSYSERR, ESME_RX_T_APPN (temporary), ESME_RSUBMITFAIL. */
    private static final Set<Integer> TEMPORARY = Set.of(0x14, 0x58, 0x08, 0x64, 0x45);
    /** ESME_RINVDSTADR, ESME_RINVDSTTON, ESME_RINVDSTNPI, ESME_RX_P_APPN (permanent, e.g. barred). */
    private static final Set<Integer> UNREACHABLE = Set.of(0x0B, 0x50, 0x51, 0x65);

    /** Where the SMSC is and how to bind to it. */
    public record Settings(String host, int port, String systemId, String password, String systemType, String sourceAddress,
                           long responseTimeoutMillis) {}

    private final Settings settings;
    private volatile Receipts receipts;
    private SMPPSession session;

    public SmppSmsProvider(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String channel() {
        return "sms";
    }

    @Override
    public void receipts(Receipts to) {
        this.receipts = to;
    }

    @Override
    public synchronized Result send(String key, String phone, Map<String, Object> payload) {
        Result.Failed wrong = SmsNumbers.refusal(phone);
        if (wrong != null) {
            return wrong;
        }
        String from = SmsNumbers.sender(payload, settings.sourceAddress());
        String text = String.valueOf(payload.getOrDefault("text", ""));
        try {
            SMPPSession s = bound();
            List<String> ids = new ArrayList<>();
            for (Part part : parts(text)) {
                ids.add(s.submitShortMessage(settings.systemType(), sourceTon(from), NumberingPlanIndicator.ISDN, from,
                        TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, phone.substring(1), part.esm(), (byte) 0, (byte) 1, null, null,
                        new RegisteredDelivery(SMSCDeliveryReceipt.SUCCESS_FAILURE), (byte) 0, part.coding(), (byte) 0, part.bytes()).getMessageId());
            }
            return new Result.Accepted(String.join(",", ids));
        } catch (NegativeResponseException e) {
            int status = e.getCommandStatus();
            String reason = String.format("SMSC answered 0x%08X (%s)", status, statusName(status));
            if (TEMPORARY.contains(status)) {
                return new Result.Retry(reason, null);
            }
            return new Result.Failed(reason, UNREACHABLE.contains(status));
        } catch (ResponseTimeoutException e) {
            return new Result.Retry("the SMSC did not answer within " + settings.responseTimeoutMillis() + " ms", null);
        } catch (IOException | InvalidResponseException e) {
            drop();
            return new Result.Retry("SMPP link: " + e.getMessage(), null);
        } catch (PDUException e) {
            return new Result.Failed("cannot be sent over SMPP: " + e.getMessage(), false);
        }
    }

    private static TypeOfNumber sourceTon(String from) {
        if (from.startsWith("+")) {
            return TypeOfNumber.INTERNATIONAL;
        }
        return from.chars().allMatch(Character::isDigit) ? TypeOfNumber.NATIONAL : TypeOfNumber.ALPHANUMERIC;
    }

    record Part(byte[] bytes, GeneralDataCoding coding, ESMClass esm) {}

    /** The SMPP messages a text takes: one when it fits, else parts with a concatenation header. */
    static List<Part> parts(String text) {
        byte[] gsm = Gsm7.encode(text);
        GeneralDataCoding coding = new GeneralDataCoding(gsm != null ? Alphabet.ALPHA_DEFAULT : Alphabet.ALPHA_UCS2);
        List<byte[]> pieces;
        if (gsm != null) {
            pieces = gsm.length <= 160 ? List.of(gsm) : Gsm7.split(gsm, 153);
        } else {
            byte[] ucs2 = text.getBytes(StandardCharsets.UTF_16BE);
            pieces = ucs2.length <= 140 ? List.of(ucs2) : ucs2Split(text);
        }
        if (pieces.size() == 1) {
            return List.of(new Part(pieces.get(0), coding, new ESMClass()));
        }
        if (pieces.size() > 255) {
            throw new IllegalArgumentException("the text needs " + pieces.size() + " parts; 255 is the most one message can have");
        }
        byte ref = (byte) ThreadLocalRandom.current().nextInt(256);
        List<Part> out = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            ByteBuffer b = ByteBuffer.allocate(6 + pieces.get(i).length);
            b.put(new byte[] {0x05, 0x00, 0x03, ref, (byte) pieces.size(), (byte) (i + 1)}).put(pieces.get(i));
            out.add(new Part(b.array(), coding, new ESMClass(MessageMode.DEFAULT, MessageType.DEFAULT, GSMSpecificFeature.UDHI)));
        }
        return out;
    }

    /** UCS-2 parts of 67 characters, never between the two halves of a surrogate pair. */
    private static List<byte[]> ucs2Split(String text) {
        List<byte[]> out = new ArrayList<>();
        int from = 0;
        while (from < text.length()) {
            int to = Math.min(from + 67, text.length());
            if (to < text.length() && Character.isHighSurrogate(text.charAt(to - 1))) {
                to--;
            }
            out.add(text.substring(from, to).getBytes(StandardCharsets.UTF_16BE));
            from = to;
        }
        return out;
    }

    private SMPPSession bound() throws IOException {
        if (session != null && session.getSessionState().isBound()) {
            return session;
        }
        drop();
        SMPPSession s = new SMPPSession();
        s.setTransactionTimer(settings.responseTimeoutMillis());
        s.setEnquireLinkTimer(30_000);
        s.setMessageReceiverListener(new ReceiptListener());
        s.connectAndBind(settings.host(), settings.port(), new BindParameter(BindType.BIND_TRX, settings.systemId(), settings.password(),
                settings.systemType(), TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null), settings.responseTimeoutMillis());
        log.info("bound to the SMSC at {}:{} as {}", settings.host(), settings.port(), settings.systemId());
        session = s;
        return s;
    }

    private void drop() {
        if (session != null) {
            session.unbindAndClose();
            session = null;
        }
    }

    @Override
    public synchronized void close() {
        drop();
    }

    /** Delivery receipts ({@code deliver_sm} with the receipt flag); other incoming messages are logged and taken. */
    private final class ReceiptListener implements MessageReceiverListener {
        @Override
        public void onAcceptDeliverSm(DeliverSm deliverSm) throws ProcessRequestException {
            if (!deliverSm.isSmscDeliveryReceipt()) {
                log.info("an SMS from {} came in over SMPP; incoming SMS are not handled yet", deliverSm.getSourceAddr());
                return;
            }
            try {
                DeliveryReceipt r = deliverSm.getShortMessageAsDeliveryReceipt();
                Receipts to = receipts;
                if (to != null) {
                    to.receipt(r.getId(), r.getFinalStatus() == DeliveryReceiptState.DELIVRD, r.getFinalStatus().name()
                            + (r.getError() == null || r.getError().equals("000") ? "" : " err:" + r.getError()));
                }
            } catch (InvalidDeliveryReceiptException e) {
                log.warn("a delivery receipt the provider could not read: {}", e.getMessage());
            }
        }

        @Override
        public void onAcceptAlertNotification(AlertNotification alertNotification) {
            // an SMSC's notice that a handset is reachable again: nothing waits for it here
        }

        @Override
        public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
            throw new ProcessRequestException("data_sm is not taken", 0x03);
        }
    }

    private static String statusName(int status) {
        return switch (status) {
            case 0x08 -> "ESME_RSYSERR";
            case 0x0A -> "ESME_RINVSRCADR";
            case 0x0B -> "ESME_RINVDSTADR";
            case 0x0E -> "ESME_RINVPASWD";
            case 0x14 -> "ESME_RMSGQFUL";
            case 0x45 -> "ESME_RSUBMITFAIL";
            case 0x50 -> "ESME_RINVDSTTON";
            case 0x51 -> "ESME_RINVDSTNPI";
            case 0x58 -> "ESME_RTHROTTLED";
            case 0x64 -> "ESME_RX_T_APPN";
            case 0x65 -> "ESME_RX_P_APPN";
            default -> "see SMPP 3.4 §5.1.3";
        };
    }
}
