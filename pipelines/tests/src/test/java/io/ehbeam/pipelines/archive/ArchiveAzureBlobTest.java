package io.ehbeam.pipelines.archive;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import io.ehbeam.pipelines.testing.ArchiveScenario;
import io.ehbeam.pipelines.testing.Azurite;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The archive into Azure Blob Storage (azfs://) on Azurite, files and a Delta table, read back with the Azure SDK. */
class ArchiveAzureBlobTest {
  /** One emulator for both tests (it takes a while to start), a container each. */
  static Azurite azurite;

  @BeforeAll
  static void startAzurite() throws Exception {
    azurite = Azurite.start();
  }

  @AfterAll
  static void stopAzurite() throws Exception {
    if (azurite != null) { // null when skipped: no npm
      azurite.close();
    }
  }

  @Test
  void sampleDayIntoBlobStorage() throws Exception {
    BlobContainerClient container = new BlobServiceClientBuilder().connectionString(azurite.connectionString())
        .buildClient().createBlobContainer("archive");
    ArchiveScenario.sampleDay("azure", "azfs://" + Azurite.ACCOUNT + "/archive/temps", () -> copy(container, "temps/"),
        "--runner=DirectRunner", "--azureConnectionString=" + azurite.connectionString());
    ArchivePipeline.Options printed = io.ehbeam.pipelines.common.JobArguments.parse(new String[] {
        "--outputDirectory=azfs://" + Azurite.ACCOUNT + "/archive/x", "--azureConnectionString=" + azurite.connectionString()},
        ArchivePipeline.Options.class, false);
    org.assertj.core.api.Assertions.assertThat(printed.toString()).as("options as runners print them").doesNotContain("AccountKey");
  }

  @Test
  void sampleDayAsADeltaTableInBlobStorage() throws Exception {
    BlobContainerClient container = new BlobServiceClientBuilder().connectionString(azurite.connectionString())
        .buildClient().createBlobContainer("lake");
    ArchiveScenario.sampleDayAsDelta("azure", "azfs://" + Azurite.ACCOUNT + "/lake/temps", () -> copy(container, "temps/"),
        "--runner=DirectRunner", "--azureConnectionString=" + azurite.connectionString());
  }

  /** The blobs under {@code prefix}, in a local folder. */
  private static Path copy(BlobContainerClient container, String prefix) throws java.io.IOException {
    Path local = Files.createTempDirectory("ehbeam-azure-copy-");
    for (BlobItem blob : container.listBlobs(new ListBlobsOptions().setPrefix(prefix), null)) {
      Path target = local.resolve(blob.getName().substring(prefix.length()));
      Files.createDirectories(target.getParent());
      container.getBlobClient(blob.getName()).downloadToFile(target.toString());
    }
    return local;
  }
}
