package org.orbita.channels;

import static org.assertj.core.api.Assertions.assertThat;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jsmpp.PDUStringException;
import org.jsmpp.bean.Alphabet;
import org.jsmpp.bean.BroadcastSm;
import org.jsmpp.bean.CancelBroadcastSm;
import org.jsmpp.bean.CancelSm;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliveryReceipt;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.GSMSpecificFeature;
import org.jsmpp.bean.GeneralDataCoding;
import org.jsmpp.bean.MessageMode;
import org.jsmpp.bean.MessageType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.QueryBroadcastSm;
import org.jsmpp.bean.QuerySm;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.ReplaceSm;
import org.jsmpp.bean.SubmitMulti;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.BindRequest;
import org.jsmpp.session.BroadcastSmResult;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.QueryBroadcastSmResult;
import org.jsmpp.session.QuerySmResult;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.SMPPServerSessionListener;
import org.jsmpp.session.ServerMessageReceiverListener;
import org.jsmpp.session.Session;
import org.jsmpp.session.SubmitMultiResult;
import org.jsmpp.session.SubmitSmResult;
import org.jsmpp.util.DeliveryReceiptState;
import org.jsmpp.util.MessageId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SMPP provider against an SMSC on loopback: jSMPP's server side, checking the bind's
 * password, taking {@code submit_sm}, answering with SMPP's error statuses and sending delivery
 * receipts back over the same session.
 */
class SmppSmsProviderTest {

    static final int ESME_RINVPASWD = 0x0E, ESME_RINVDSTADR = 0x0B, ESME_RTHROTTLED = 0x58;

    SMPPServerSessionListener listener;
    final ExecutorService pool = Executors.newCachedThreadPool();
    final List<SubmitSm> submitted = new CopyOnWriteArrayList<>();
    final AtomicInteger ids = new AtomicInteger(1000);
    final AtomicInteger throttle = new AtomicInteger(1);
    volatile SMPPServerSession serverSession;
    int port;

    @BeforeEach
    void smsc() throws Exception {
        port = org.orbita.testing.FreePorts.next();
        listener = new SMPPServerSessionListener(port);
        listener.setMessageReceiverListener(new Smsc());
        pool.submit(() -> {
            while (true) {
                SMPPServerSession s = listener.accept();
                pool.submit(() -> {
                    BindRequest bind = s.waitForBind(5000);
                    if (bind.getPassword().equals("secret")) {
                        serverSession = s;
                        bind.accept("smsc");
                    } else {
                        bind.reject(ESME_RINVPASWD);
                    }
                    return null;
                });
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        listener.close();
        pool.shutdownNow();
    }

    SmppSmsProvider provider(String password) {
        return new SmppSmsProvider(new SmppSmsProvider.Settings("127.0.0.1", port, "orbita", password, "", "Orbita", 5000));
    }

    @Test
    void sendsInGsmOrUcs2CutsLongTextsAndHearsReceipts() throws Exception {
        List<String> receipts = new CopyOnWriteArrayList<>();
        try (SmppSmsProvider sms = provider("secret")) {
            sms.receipts((id, delivered, status) -> receipts.add(id + " " + delivered + " " + status));

            ChannelProvider.Result plain = sms.send("k1", "+15550001111", Map.of("text", "Hi Ann, 20% off {today} €5"));
            assertThat(plain).isInstanceOf(ChannelProvider.Result.Accepted.class);
            SubmitSm first = submitted.get(0);
            assertThat(first.getDestAddress()).isEqualTo("15550001111");
            assertThat(first.getDestAddrTon()).isEqualTo(TypeOfNumber.INTERNATIONAL.value());
            assertThat(first.getSourceAddr()).isEqualTo("Orbita");
            assertThat(first.getDataCoding()).isZero(); // GSM 7-bit
            assertThat(Gsm7.decode(first.getShortMessage())).isEqualTo("Hi Ann, 20% off {today} €5");
            assertThat(first.getShortMessage()).contains(0x1B, 0x65); // € from the extension table

            String russian = "Привет, Анна! Ваша скидка 20% действует до воскресенья. Успейте заказать — доставка бесплатно по всей России.";
            ChannelProvider.Result cyr = sms.send("k2", "+79991234567", Map.of("text", russian, "sender", "Shop"));
            assertThat(((ChannelProvider.Result.Accepted) cyr).id()).contains(",");
            List<SubmitSm> parts = submitted.subList(1, submitted.size());
            assertThat(parts).hasSize(2).allSatisfy(p -> {
                assertThat(p.getDataCoding() & 0x0F).isEqualTo(0x08); // UCS-2
                assertThat(p.getEsmClass() & 0x40).isEqualTo(0x40); // UDH follows
                assertThat(p.getSourceAddr()).isEqualTo("Shop");
            });
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (int i = 0; i < parts.size(); i++) {
                byte[] m = parts.get(i).getShortMessage();
                assertThat(m[0]).isEqualTo((byte) 5); // UDH length
                assertThat(m[4]).isEqualTo((byte) 2); // parts
                assertThat(m[5]).isEqualTo((byte) (i + 1)); // this part
                assertThat(m[3]).isEqualTo(parts.get(0).getShortMessage()[3]); // one reference
                joined.write(m, 6, m.length - 6);
            }
            assertThat(joined.toString(StandardCharsets.UTF_16BE)).isEqualTo(russian);

            // the SMSC reports back: one delivered, one not
            String firstId = ((ChannelProvider.Result.Accepted) plain).id();
            receipt(firstId, DeliveryReceiptState.DELIVRD);
            receipt(((ChannelProvider.Result.Accepted) cyr).id().split(",")[0], DeliveryReceiptState.UNDELIV);
            long until = System.currentTimeMillis() + 5000;
            while (receipts.size() < 2 && System.currentTimeMillis() < until) {
                Thread.sleep(20);
            }
            assertThat(receipts).containsExactlyInAnyOrder(firstId + " true DELIVRD",
                    ((ChannelProvider.Result.Accepted) cyr).id().split(",")[0] + " false UNDELIV err:001");
        }
    }

    @Test
    void answersDecideWhatIsTriedAgainAndWhatIsGone() throws Exception {
        try (SmppSmsProvider sms = provider("secret")) {
            assertThat(sms.send("k", "8 999 123-45-67", Map.of("text", "x")))
                    .isEqualTo(new ChannelProvider.Result.Failed("'8 999 123-45-67' is not an E.164 number (+ and 7 to 15 digits)", true));
            assertThat(submitted).isEmpty();

            throttle.set(1);
            ChannelProvider.Result busy = sms.send("k", "+15550002222", Map.of("text", "x"));
            assertThat(busy).isInstanceOf(ChannelProvider.Result.Retry.class);
            assertThat(((ChannelProvider.Result.Retry) busy).reason()).contains("ESME_RTHROTTLED");
            assertThat(sms.send("k", "+15550002222", Map.of("text", "x"))).isInstanceOf(ChannelProvider.Result.Accepted.class);

            ChannelProvider.Result gone = sms.send("k", "+15550009999", Map.of("text", "x"));
            assertThat(gone).isInstanceOf(ChannelProvider.Result.Failed.class);
            assertThat(((ChannelProvider.Result.Failed) gone).unreachable()).isTrue();
            assertThat(((ChannelProvider.Result.Failed) gone).reason()).contains("ESME_RINVDSTADR");

            // the link drops: the next send binds again
            serverSession.unbindAndClose();
            Thread.sleep(200);
            ChannelProvider.Result afterDrop = sms.send("k", "+15550003333", Map.of("text", "again"));
            if (afterDrop instanceof ChannelProvider.Result.Retry) {
                afterDrop = sms.send("k", "+15550003333", Map.of("text", "again"));
            }
            assertThat(afterDrop).isInstanceOf(ChannelProvider.Result.Accepted.class);
        }
        try (SmppSmsProvider wrong = provider("guess")) {
            ChannelProvider.Result refused = wrong.send("k", "+15550002222", Map.of("text", "x"));
            assertThat(refused).isInstanceOf(ChannelProvider.Result.Retry.class);
            assertThat(((ChannelProvider.Result.Retry) refused).reason()).contains("SMPP link");
        }
    }

    @Test
    void partsNeverSplitAnEscapeOrASurrogatePair() {
        String gsm = "x".repeat(152) + "€" + "y".repeat(20);
        List<SmppSmsProvider.Part> parts = SmppSmsProvider.parts(gsm);
        assertThat(parts).hasSize(2);
        StringBuilder back = new StringBuilder();
        for (SmppSmsProvider.Part p : parts) {
            byte[] b = p.bytes();
            back.append(Gsm7.decode(Arrays.copyOfRange(b, 6, b.length)));
        }
        assertThat(back.toString()).isEqualTo(gsm);
        assertThat(SmppSmsProvider.parts("é".repeat(160))).hasSize(1);
        String emoji = "a".repeat(66) + "😀" + "b".repeat(10);
        List<SmppSmsProvider.Part> ucs = SmppSmsProvider.parts(emoji);
        StringBuilder u = new StringBuilder();
        for (SmppSmsProvider.Part p : ucs) {
            u.append(new String(p.bytes(), 6, p.bytes().length - 6, StandardCharsets.UTF_16BE));
        }
        assertThat(u.toString()).isEqualTo(emoji);
    }

    void receipt(String id, DeliveryReceiptState state) throws Exception {
        DeliveryReceipt r = new DeliveryReceipt(id, 1, state == DeliveryReceiptState.DELIVRD ? 1 : 0, new Date(), new Date(), state,
                state == DeliveryReceiptState.DELIVRD ? "000" : "001", "");
        serverSession.deliverShortMessage("", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, "15550001111",
                TypeOfNumber.ALPHANUMERIC, NumberingPlanIndicator.UNKNOWN, "Orbita",
                new ESMClass(MessageMode.DEFAULT, MessageType.SMSC_DEL_RECEIPT, GSMSpecificFeature.DEFAULT), (byte) 0, (byte) 0,
                new RegisteredDelivery(0), new GeneralDataCoding(Alphabet.ALPHA_DEFAULT),
                r.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** Takes submit_sm as an SMSC does; the rest of SMPP is not used by the provider. */
    final class Smsc implements ServerMessageReceiverListener {
        @Override
        public SubmitSmResult onAcceptSubmitSm(SubmitSm s, SMPPServerSession source) throws ProcessRequestException {
            if (s.getDestAddress().equals("15550009999")) {
                throw new ProcessRequestException("no such subscriber", ESME_RINVDSTADR);
            }
            if (s.getDestAddress().equals("15550002222") && throttle.getAndDecrement() > 0) {
                throw new ProcessRequestException("slow down", ESME_RTHROTTLED);
            }
            submitted.add(s);
            try {
                return new SubmitSmResult(new MessageId(Integer.toHexString(ids.incrementAndGet())), new OptionalParameter[0]);
            } catch (PDUStringException e) {
                throw new ProcessRequestException(e.getMessage(), 0x08);
            }
        }

        @Override
        public SubmitMultiResult onAcceptSubmitMulti(SubmitMulti s, SMPPServerSession source) throws ProcessRequestException {
            throw new ProcessRequestException("not here", 0x03);
        }

        @Override
        public QuerySmResult onAcceptQuerySm(QuerySm q, SMPPServerSession source) throws ProcessRequestException {
            throw new ProcessRequestException("not here", 0x03);
        }

        @Override
        public void onAcceptReplaceSm(ReplaceSm r, SMPPServerSession source) throws ProcessRequestException {
            throw new ProcessRequestException("not here", 0x03);
        }

        @Override
        public void onAcceptCancelSm(CancelSm c, SMPPServerSession source) throws ProcessRequestException {
            throw new ProcessRequestException("not here", 0x03);
        }

        @Override
        public BroadcastSmResult onAcceptBroadcastSm(BroadcastSm b, SMPPServerSession source) throws ProcessRequestException {
            throw new ProcessRequestException("not here", 0x03);
        }

        @Override
        public void onAcceptCancelBroadcastSm(CancelBroadcastSm c, SMPPServerSession source) throws ProcessRequestException {
            throw new ProcessRequestException("not here", 0x03);
        }

        @Override
        public QueryBroadcastSmResult onAcceptQueryBroadcastSm(QueryBroadcastSm q, SMPPServerSession source) throws ProcessRequestException {
            throw new ProcessRequestException("not here", 0x03);
        }

        @Override
        public DataSmResult onAcceptDataSm(DataSm d, Session source) throws ProcessRequestException {
            throw new ProcessRequestException("not here", 0x03);
        }
    }
}
