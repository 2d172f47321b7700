package org.orbita.ui;

import com.vaadin.flow.component.upload.UploadI18N;
import java.util.function.Function;

/** The texts of Vaadin's upload in the page's language, from the bundles. */
public final class UploadTexts {

    private UploadTexts() {}

    /** Its button, drop hint, progress and errors, from the bundles. */
    public static UploadI18N of(Function<String, String> getTranslation) {
        UploadI18N t = new UploadI18N();
        t.setAddFiles(new UploadI18N.AddFiles().setOne(getTranslation.apply("upload.add.one")).setMany(getTranslation.apply("upload.add.many")));
        t.setDropFiles(new UploadI18N.DropFiles().setOne(getTranslation.apply("upload.drop.one")).setMany(getTranslation.apply("upload.drop.many")));
        t.setError(new UploadI18N.Error().setTooManyFiles(getTranslation.apply("upload.error.tooMany")).setFileIsTooBig(getTranslation.apply("upload.error.tooBig"))
                .setIncorrectFileType(getTranslation.apply("upload.error.type")));
        t.setUploading(new UploadI18N.Uploading()
                .setStatus(new UploadI18N.Uploading.Status().setConnecting(getTranslation.apply("upload.status.connecting"))
                        .setStalled(getTranslation.apply("upload.status.stalled")).setProcessing(getTranslation.apply("upload.status.processing"))
                        .setHeld(getTranslation.apply("upload.status.held")))
                .setRemainingTime(new UploadI18N.Uploading.RemainingTime().setPrefix(getTranslation.apply("upload.remaining"))
                        .setUnknown(getTranslation.apply("upload.remaining.unknown")))
                .setError(new UploadI18N.Uploading.Error().setServerUnavailable(getTranslation.apply("upload.error.server"))
                        .setUnexpectedServerError(getTranslation.apply("upload.error.unexpected")).setForbidden(getTranslation.apply("upload.error.forbidden"))));
        t.setFile(new UploadI18N.File().setRetry(getTranslation.apply("upload.file.retry")).setStart(getTranslation.apply("upload.file.start"))
                .setRemove(getTranslation.apply("upload.file.remove")));
        t.setUnits(new UploadI18N.Units(java.util.List.of(getTranslation.apply("upload.units").split(","))));
        return t;
    }

}
