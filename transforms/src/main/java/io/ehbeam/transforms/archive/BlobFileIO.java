package io.ehbeam.transforms.archive;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.defaults.engine.fileio.InputFile;
import io.delta.kernel.defaults.engine.fileio.OutputFile;
import io.delta.kernel.defaults.engine.fileio.PositionOutputStream;
import io.delta.kernel.defaults.engine.fileio.SeekableInputStream;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.io.azure.options.BlobstoreOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Delta Kernel's file access on Azure Blob Storage, for tables at {@code azfs://<account>/<container>/<path>}
 * (the archive's Blob paths), through the Azure SDK and the archive's own credentials ({@link
 * BlobStorageClients}). A commit is safe against a concurrent writer because a log file is uploaded
 * only if no blob has its name yet ({@code If-None-Match: *}), the put-if-absent Delta's protocol
 * asks of storage.
 */
final class BlobFileIO implements FileIO {
  static final String SCHEME = "azfs://";

  private final BlobServiceClient service;

  /** {@code azureConnectionString}: as the archive's option holds it (a reference, or null: the environment's). */
  BlobFileIO(String azureConnectionString) {
    BlobstoreOptions options = PipelineOptionsFactory.as(BlobstoreOptions.class);
    options.setAzureConnectionString(azureConnectionString);
    this.service = new BlobStorageClients().createBuilder(options).buildClient();
  }

  /** A blob of an {@code azfs://} path: its container and name. */
  private BlobClient blob(String path) {
    String[] parts = split(path);
    return service.getBlobContainerClient(parts[0]).getBlobClient(parts[1]);
  }

  /** {container, name} of azfs://account/container/name. */
  private static String[] split(String path) {
    if (!path.startsWith(SCHEME)) {
      throw new IllegalArgumentException("not an azfs:// path: " + path);
    }
    String[] parts = path.substring(SCHEME.length()).split("/", 3);
    if (parts.length < 3) {
      throw new IllegalArgumentException("an azfs:// path names an account, a container and a blob: " + path);
    }
    return new String[] {parts[1], parts[2]};
  }

  private static String prefixOf(String path) {
    return path.substring(0, path.indexOf('/', path.indexOf('/', SCHEME.length()) + 1) + 1);
  }

  /** The blobs of {@code filePath}'s folder whose names sort at or after its own, in order. */
  @Override
  public CloseableIterator<FileStatus> listFrom(String filePath) throws IOException {
    String[] parts = split(filePath);
    String folder = parts[1].contains("/") ? parts[1].substring(0, parts[1].lastIndexOf('/') + 1) : "";
    BlobContainerClient container = service.getBlobContainerClient(parts[0]);
    List<FileStatus> found = new ArrayList<>();
    boolean folderExists = false;
    try {
      for (BlobItem item : container.listBlobsByHierarchy("/", new ListBlobsOptions().setPrefix(folder), null)) {
        folderExists = true;
        if (!Boolean.TRUE.equals(item.isPrefix()) && item.getName().compareTo(parts[1]) >= 0) {
          found.add(FileStatus.of(prefixOf(filePath) + item.getName(), item.getProperties().getContentLength(),
              item.getProperties().getLastModified().toInstant().toEpochMilli()));
        }
      }
    } catch (BlobStorageException e) {
      throw new IOException("cannot list " + filePath + ": " + e.getErrorCode(), e);
    }
    if (!folderExists) {
      throw new FileNotFoundException(filePath + ": no such folder");
    }
    found.sort(java.util.Comparator.comparing(FileStatus::getPath));
    return DeltaTable.iterator(found.iterator());
  }

  @Override
  public FileStatus getFileStatus(String path) throws IOException {
    try {
      BlobProperties p = blob(path).getProperties();
      return FileStatus.of(path, p.getBlobSize(), p.getLastModified().toInstant().toEpochMilli());
    } catch (BlobStorageException e) {
      throw notFoundOr(path, e);
    }
  }

  @Override
  public String resolvePath(String path) {
    return path;
  }

  @Override
  public boolean mkdirs(String path) {
    return true; // Blob Storage's folders are names' prefixes
  }

  @Override
  public InputFile newInputFile(String path, long fileSize) {
    return new InputFile() {
      @Override
      public long length() throws IOException {
        return fileSize >= 0 ? fileSize : getFileStatus(path).getSize();
      }

      @Override
      public String path() {
        return path;
      }

      @Override
      public SeekableInputStream newStream() throws IOException {
        byte[] content;
        try {
          content = blob(path).downloadContent().toBytes(); // log files and checkpoints: read whole
        } catch (BlobStorageException e) {
          throw notFoundOr(path, e);
        }
        return new InMemoryInput(content);
      }
    };
  }

  @Override
  public OutputFile newOutputFile(String path) {
    return new OutputFile() {
      @Override
      public String path() {
        return path;
      }

      @Override
      public PositionOutputStream create(boolean putIfAbsent) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        return new PositionOutputStream() {
          private boolean closed;

          @Override
          public long getPos() {
            return buffer.size();
          }

          @Override
          public void write(int b) {
            buffer.write(b);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            buffer.write(b, off, len);
          }

          @Override
          public void close() throws IOException {
            if (!closed) {
              closed = true;
              upload(path, buffer.toByteArray(), !putIfAbsent);
            }
          }
        };
      }

      @Override
      public void writeAtomically(CloseableIterator<String> lines, boolean overwrite) throws IOException {
        StringBuilder text = new StringBuilder();
        try (lines) {
          lines.forEachRemaining(line -> text.append(line).append('\n'));
        }
        upload(path, text.toString().getBytes(StandardCharsets.UTF_8), overwrite);
      }
    };
  }

  /** One upload: the blob appears whole or not at all; unless {@code overwrite}, only if it does not exist yet. */
  private void upload(String path, byte[] content, boolean overwrite) throws IOException {
    BlobParallelUploadOptions upload = new BlobParallelUploadOptions(BinaryData.fromBytes(content));
    if (!overwrite) {
      upload.setRequestConditions(new BlobRequestConditions().setIfNoneMatch("*"));
    }
    try {
      blob(path).uploadWithResponse(upload, null, null);
    } catch (BlobStorageException e) {
      if (e.getErrorCode() == BlobErrorCode.BLOB_ALREADY_EXISTS || e.getStatusCode() == 409 || e.getStatusCode() == 412) {
        throw new FileAlreadyExistsException(path);
      }
      throw new IOException("cannot write " + path + ": " + e.getErrorCode(), e);
    }
  }

  @Override
  public boolean delete(String path) throws IOException {
    try {
      return blob(path).deleteIfExists();
    } catch (BlobStorageException e) {
      throw new IOException("cannot delete " + path + ": " + e.getErrorCode(), e);
    }
  }

  @Override
  public Optional<String> getConf(String key) {
    return Optional.empty();
  }

  private static IOException notFoundOr(String path, BlobStorageException e) {
    return e.getStatusCode() == 404 ? new FileNotFoundException(path) : new IOException(path + ": " + e.getErrorCode(), e);
  }

  /** A blob's bytes, read with seeks (Parquet reads a checkpoint's footer first). */
  private static final class InMemoryInput extends SeekableInputStream {
    private final byte[] content;
    private int position;

    InMemoryInput(byte[] content) {
      this.content = content;
    }

    @Override
    public int read() {
      return position < content.length ? content[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (position >= content.length) {
        return -1;
      }
      int n = Math.min(len, content.length - position);
      System.arraycopy(content, position, b, off, n);
      position += n;
      return n;
    }

    @Override
    public long getPos() {
      return position;
    }

    @Override
    public void seek(long to) throws IOException {
      if (to < 0 || to > content.length) {
        throw new EOFException("seek to " + to + " in " + content.length + " bytes");
      }
      position = (int) to;
    }

    @Override
    public void readFully(byte[] b, int off, int len) throws IOException {
      if (content.length - position < len) {
        throw new EOFException("read of " + len + " bytes at " + position + " of " + content.length);
      }
      System.arraycopy(content, position, b, off, len);
      position += len;
    }
  }
}
