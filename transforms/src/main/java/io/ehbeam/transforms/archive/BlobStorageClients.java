package io.ehbeam.transforms.archive;

import com.azure.storage.blob.BlobServiceClientBuilder;
import org.apache.beam.sdk.io.azure.blobstore.DefaultBlobstoreClientBuilderFactory;
import org.apache.beam.sdk.io.azure.options.BlobstoreClientBuilderFactory;
import org.apache.beam.sdk.io.azure.options.BlobstoreOptions;

/**
 * Clients for {@code azfs://} paths. A storage connection string is used alone (Beam's default
 * builder also adds the default Azure credential, whose bearer token refuses the plain-http
 * endpoints of Azurite). It comes from {@code --azureConnectionString}, which {@link #keep} takes
 * out of the options (runners print options; the key then stays in this JVM: enough for the
 * DirectRunner and local Flink or Spark), or from {@value #ENV} on each machine that writes (clusters).
 * Without one, Beam's default (managed identity, SAS token, account key) applies.
 */
public final class BlobStorageClients implements BlobstoreClientBuilderFactory {
  public static final String ENV = "AZURE_STORAGE_CONNECTION_STRING";
  private static volatile String kept;

  /** Moves {@code --azureConnectionString} out of the options into this JVM. */
  public static void keep(BlobstoreOptions options) {
    String connectionString = options.getAzureConnectionString();
    if (connectionString != null && !connectionString.isBlank()) {
      kept = connectionString;
      options.setAzureConnectionString(null);
    }
  }

  @Override
  public BlobServiceClientBuilder createBuilder(BlobstoreOptions options) {
    String connectionString = kept;
    if (connectionString == null || connectionString.isBlank()) {
      connectionString = System.getenv(ENV);
    }
    if (connectionString != null && !connectionString.isBlank()) {
      return new BlobServiceClientBuilder().connectionString(connectionString);
    }
    return new DefaultBlobstoreClientBuilderFactory().createBuilder(options);
  }
}
