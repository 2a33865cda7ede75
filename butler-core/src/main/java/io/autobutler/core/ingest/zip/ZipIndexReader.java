package io.autobutler.core.ingest.zip;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import io.autobutler.core.datastore.DatastoreFiles;

/**
 * Reads a butler zip's {@value ZipIndex#INDEX_NAME} without reading the zip (they hold a whole exposure and can be
 * gigabytes): the end of central directory record from the file's tail, the central directory, then the index
 * member alone, each with {@link DatastoreFiles}' ranged reads (random access for {@code file:}, HTTP Range requests
 * for http(s) and WebDAV) — three or four reads whatever the zip's size. ZIP64 zips are read too.
 */
public final class ZipIndexReader {

  private static final int EOCD_SIGNATURE = 0x06054b50;
  private static final int ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
  private static final int ZIP64_EOCD_SIGNATURE = 0x06064b50;
  private static final int CENTRAL_SIGNATURE = 0x02014b50;
  private static final int LOCAL_SIGNATURE = 0x04034b50;
  private static final int EOCD_SIZE = 22;
  private static final int ZIP64_LOCATOR_SIZE = 20;
  private static final int ZIP64_EOCD_SIZE = 56;
  private static final int LOCAL_HEADER_SIZE = 30;
  /** The tail read first: the end record with the longest comment, the ZIP64 records, and most central directories. */
  private static final int TAIL = 128 * 1024;
  /** Larger central directories or indexes are not a butler zip's (an exposure has a few hundred members). */
  private static final long MAX_CENTRAL_DIRECTORY = 64L * 1024 * 1024;
  private static final long MAX_INDEX = 256L * 1024 * 1024;

  private final DatastoreFiles files;

  public ZipIndexReader(DatastoreFiles files) {
    this.files = files;
  }

  /** A zip's member as its central directory describes it. */
  public record Member(String name, int method, long compressedSize, long size, long crc, long localHeaderOffset) {
  }

  /** What was read: the zip's size, its members by name, and its parsed index. */
  public record ZipContents(URI uri, long size, Map<String, Member> members, ZipIndex index) {
  }

  /**
   * Reads the zip at {@code uri}.
   *
   * @throws ZipIndexException when it is not a zip, has no index, or the index is malformed (the message names it)
   * @throws IOException       when it cannot be read (no such file, a server error)
   */
  public ZipContents read(URI uri) throws IOException, ZipIndexException {
    String name = DatastoreFiles.text(uri);
    DatastoreFiles.Tail tail = files.readTail(uri, TAIL);
    long tailStart = tail.size() - tail.bytes().length;
    ByteBuffer end = ByteBuffer.wrap(tail.bytes()).order(ByteOrder.LITTLE_ENDIAN);
    int eocd = findEndRecord(end);
    if (eocd < 0) {
      throw new ZipIndexException(name + " is not a zip file: it has no end of central directory record");
    }
    long entries = Short.toUnsignedInt(end.getShort(eocd + 10));
    long directorySize = Integer.toUnsignedLong(end.getInt(eocd + 12));
    long directoryOffset = Integer.toUnsignedLong(end.getInt(eocd + 16));
    if (entries == 0xFFFF || directorySize == 0xFFFFFFFFL || directoryOffset == 0xFFFFFFFFL) {
      // ZIP64: the locator just before the end record points at the ZIP64 end record.
      int locator = eocd - ZIP64_LOCATOR_SIZE;
      if (locator < 0 || end.getInt(locator) != ZIP64_LOCATOR_SIGNATURE) {
        throw new ZipIndexException(name + " is not a valid zip file: its end record needs ZIP64 but there is no"
            + " ZIP64 locator");
      }
      long zip64Offset = end.getLong(locator + 8);
      ByteBuffer zip64 = slice(uri, tail, tailStart, zip64Offset, ZIP64_EOCD_SIZE, name);
      if (zip64.getInt(0) != ZIP64_EOCD_SIGNATURE) {
        throw new ZipIndexException(name + " is not a valid zip file: no ZIP64 end record at offset " + zip64Offset);
      }
      entries = zip64.getLong(32);
      directorySize = zip64.getLong(40);
      directoryOffset = zip64.getLong(48);
    }
    if (directorySize > MAX_CENTRAL_DIRECTORY || directoryOffset + directorySize > tail.size()) {
      throw new ZipIndexException(name + " is not a valid zip file: its central directory (" + directorySize
          + " bytes at offset " + directoryOffset + ") does not fit in its " + tail.size() + " bytes");
    }
    ByteBuffer directory = slice(uri, tail, tailStart, directoryOffset, (int) directorySize, name);
    Map<String, Member> members = members(directory, entries, name);
    Member indexMember = members.get(ZipIndex.INDEX_NAME);
    if (indexMember == null) {
      throw new ZipIndexException(name + " is not a butler zip: it has no " + ZipIndex.INDEX_NAME + " member");
    }
    byte[] json = indexBytes(uri, tail, tailStart, indexMember, name);
    return new ZipContents(uri, tail.size(), members, ZipIndex.parse(name, json));
  }

  /** The position of the end of central directory record in the tail, searched from the end; -1 if none. */
  private static int findEndRecord(ByteBuffer tail) {
    for (int i = tail.limit() - EOCD_SIZE; i >= 0; i--) {
      if (tail.getInt(i) == EOCD_SIGNATURE
          && i + EOCD_SIZE + Short.toUnsignedInt(tail.getShort(i + 20)) == tail.limit()) {
        return i;
      }
    }
    return -1;
  }

  /** Bytes of the zip: from the tail already read when they are in it, else one ranged read. */
  private ByteBuffer slice(URI uri, DatastoreFiles.Tail tail, long tailStart, long offset, int length, String name)
      throws IOException, ZipIndexException {
    byte[] bytes;
    if (offset >= tailStart && offset + length <= tail.size()) {
      int from = (int) (offset - tailStart);
      bytes = java.util.Arrays.copyOfRange(tail.bytes(), from, from + length);
    } else {
      bytes = files.readRange(uri, offset, length);
    }
    if (bytes.length != length) {
      throw new ZipIndexException(name + " is not a valid zip file: " + length + " bytes at offset " + offset
          + " are past its end");
    }
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static Map<String, Member> members(ByteBuffer directory, long entries, String name)
      throws ZipIndexException {
    Map<String, Member> members = new LinkedHashMap<>();
    int at = 0;
    for (long i = 0; i < entries; i++) {
      if (at + 46 > directory.limit() || directory.getInt(at) != CENTRAL_SIGNATURE) {
        throw new ZipIndexException(name + " is not a valid zip file: central directory entry " + i
            + " is damaged");
      }
      int method = Short.toUnsignedInt(directory.getShort(at + 10));
      long crc = Integer.toUnsignedLong(directory.getInt(at + 16));
      long compressed = Integer.toUnsignedLong(directory.getInt(at + 20));
      long size = Integer.toUnsignedLong(directory.getInt(at + 24));
      int nameLength = Short.toUnsignedInt(directory.getShort(at + 28));
      int extraLength = Short.toUnsignedInt(directory.getShort(at + 30));
      int commentLength = Short.toUnsignedInt(directory.getShort(at + 32));
      long offset = Integer.toUnsignedLong(directory.getInt(at + 42));
      int next = at + 46 + nameLength + extraLength + commentLength;
      if (next > directory.limit()) {
        throw new ZipIndexException(name + " is not a valid zip file: central directory entry " + i
            + " runs past the directory");
      }
      byte[] nameBytes = new byte[nameLength];
      directory.get(at + 46, nameBytes);
      // Names are read as UTF-8: flag bit 11 says so, and Python's zipfile sets it for every name that is not ASCII.
      String member = new String(nameBytes, StandardCharsets.UTF_8);
      // ZIP64 extra field (id 1): the 64-bit values of the fields that are 0xFFFFFFFF, in this order.
      int extra = at + 46 + nameLength;
      for (int e = extra; e + 4 <= extra + extraLength; ) {
        int id = Short.toUnsignedInt(directory.getShort(e));
        int length = Short.toUnsignedInt(directory.getShort(e + 2));
        if (id == 1) {
          int p = e + 4;
          if (size == 0xFFFFFFFFL) {
            size = directory.getLong(p);
            p += 8;
          }
          if (compressed == 0xFFFFFFFFL) {
            compressed = directory.getLong(p);
            p += 8;
          }
          if (offset == 0xFFFFFFFFL) {
            offset = directory.getLong(p);
          }
        }
        e += 4 + length;
      }
      members.put(member, new Member(member, method, compressed, size, crc, offset));
      at = next;
    }
    return members;
  }

  /** The index member's content: its local header read for the data's position, then the data, inflated. */
  private byte[] indexBytes(URI uri, DatastoreFiles.Tail tail, long tailStart, Member member, String name)
      throws IOException, ZipIndexException {
    if (member.size() > MAX_INDEX || member.compressedSize() > MAX_INDEX) {
      throw new ZipIndexException(name + ": " + ZipIndex.INDEX_NAME + " is " + member.size() + " bytes, more than"
          + " a butler index can be");
    }
    ByteBuffer local = slice(uri, tail, tailStart, member.localHeaderOffset(), LOCAL_HEADER_SIZE, name);
    if (local.getInt(0) != LOCAL_SIGNATURE) {
      throw new ZipIndexException(name + " is not a valid zip file: no local header for " + ZipIndex.INDEX_NAME
          + " at offset " + member.localHeaderOffset());
    }
    long dataOffset = member.localHeaderOffset() + LOCAL_HEADER_SIZE + Short.toUnsignedInt(local.getShort(26))
        + Short.toUnsignedInt(local.getShort(28));
    ByteBuffer data = slice(uri, tail, tailStart, dataOffset, (int) member.compressedSize(), name);
    byte[] content = switch (member.method()) {
      case 0 -> data.array();
      case 8 -> inflate(data.array(), member.size(), name);
      default -> throw new ZipIndexException(name + ": " + ZipIndex.INDEX_NAME + " is compressed with method "
          + member.method() + "; only stored (0) and deflated (8) are read");
    };
    CRC32 crc = new CRC32();
    crc.update(content);
    if (content.length != member.size() || crc.getValue() != member.crc()) {
      throw new ZipIndexException(name + " is damaged: " + ZipIndex.INDEX_NAME + " does not match its CRC-32 and"
          + " size");
    }
    return content;
  }

  private static byte[] inflate(byte[] compressed, long size, String name) throws ZipIndexException {
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(compressed);
      byte[] out = new byte[(int) size];
      int n = 0;
      while (n < out.length && !inflater.finished()) {
        int got = inflater.inflate(out, n, out.length - n);
        if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          break;
        }
        n += got;
      }
      return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    } catch (DataFormatException e) {
      throw new ZipIndexException(name + " is damaged: " + ZipIndex.INDEX_NAME + " cannot be inflated: "
          + e.getMessage(), e);
    } finally {
      inflater.end();
    }
  }
}
