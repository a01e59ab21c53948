package dev.coffer.core.crypto;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.NativeLongByReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the labels of the tokens a PKCS#11 library offers, to find a token's slot by its label.
 *
 * <p>SunPKCS11 chooses a token only by slot id or slot list index and exposes no token label. Its
 * own PKCS#11 binding ({@code sun.security.pkcs11.wrapper}) is not exported by {@code
 * jdk.crypto.cryptoki}: using it would need {@code --add-exports} on every JVM that opens a
 * provider (servers, operator commands, tests), failing at run time where it is forgotten, and it
 * is JDK-internal API that changes between releases. The PKCS#11 C interface is a standard, so this
 * calls it directly through JNA: {@code C_GetSlotList} and {@code C_GetTokenInfo}, reading only the
 * label at the start of {@code CK_TOKEN_INFO}.
 *
 * <p>The library is initialised once per process and shared with SunPKCS11, which loads the same
 * file: whichever initialises first wins, the other gets CKR_CRYPTOKI_ALREADY_INITIALIZED (which
 * both accept). This class never finalises the library, as SunPKCS11 may be using it.
 */
final class Pkcs11TokenLabels {
  private static final long CKR_OK = 0x0;
  private static final long CKR_BUFFER_TOO_SMALL = 0x150;
  private static final long CKR_CRYPTOKI_ALREADY_INITIALIZED = 0x191;
  private static final long CKF_OS_LOCKING_OK = 0x2;
  private static final byte CK_TRUE = 1;
  private static final int LABEL_BYTES = 32;

  /** CK_TOKEN_INFO is 208 bytes on 64-bit Linux; the rest is room for other ABIs. */
  private static final int TOKEN_INFO_BYTES = 1024;

  /** The three functions needed, as every PKCS#11 library exports them. */
  interface Cryptoki extends Library {
    NativeLong C_Initialize(Pointer initArgs);

    NativeLong C_GetSlotList(byte tokenPresent, NativeLong[] slots, NativeLongByReference count);

    NativeLong C_GetTokenInfo(NativeLong slot, byte[] info);
  }

  private Pkcs11TokenLabels() {}

  /**
   * The slot id of every slot with a token present and the token's label, in the library's order.
   *
   * @throws IllegalStateException with a sentence fragment saying what failed
   */
  static Map<Long, String> labels(Path library) {
    Cryptoki cryptoki = load(library);
    initialise(cryptoki);
    Map<Long, String> labels = new LinkedHashMap<>();
    for (NativeLong slot : slots(cryptoki)) {
      byte[] info = new byte[TOKEN_INFO_BYTES];
      long rv = cryptoki.C_GetTokenInfo(slot, info).longValue();
      if (rv != CKR_OK) {
        // A token removed between the two calls is simply not there any more.
        continue;
      }
      labels.put(slot.longValue(), label(info));
    }
    return labels;
  }

  /**
   * The slot of the one token labelled {@code label}.
   *
   * @throws IllegalStateException when no token or more than one has that label, or the library
   *     cannot be asked
   */
  static long slotOf(Path library, String label) {
    List<Long> matches = new ArrayList<>();
    labels(library)
        .forEach(
            (slot, tokenLabel) -> {
              if (tokenLabel.equals(label)) {
                matches.add(slot);
              }
            });
    if (matches.isEmpty()) {
      throw new IllegalStateException(
          "no token of " + library.getFileName() + " is labelled '" + label + "'");
    }
    if (matches.size() > 1) {
      throw new IllegalStateException(
          matches.size()
              + " tokens are labelled '"
              + label
              + "' (slots "
              + matches
              + "); give each token its own label or choose it by slot");
    }
    return matches.get(0);
  }

  private static Cryptoki load(Path library) {
    try {
      return Native.load(library.toAbsolutePath().toString(), Cryptoki.class);
    } catch (UnsatisfiedLinkError e) {
      throw new IllegalStateException(
          "the PKCS#11 library " + library + " could not be loaded to list its tokens", e);
    }
  }

  /** Initialises for multi-threaded use, as SunPKCS11 does, so whichever comes first is right. */
  private static void initialise(Cryptoki cryptoki) {
    int pointer = Native.POINTER_SIZE;
    // CK_C_INITIALIZE_ARGS: four mutex callbacks (none), CK_FLAGS flags, void *pReserved.
    try (Memory args = new Memory(4L * pointer + NativeLong.SIZE + pointer)) {
      args.clear();
      args.setNativeLong(4L * pointer, new NativeLong(CKF_OS_LOCKING_OK));
      long rv = cryptoki.C_Initialize(args).longValue();
      if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
        throw failed("C_Initialize", rv);
      }
    }
  }

  private static NativeLong[] slots(Cryptoki cryptoki) {
    // The count can grow between the two calls (a token inserted): ask again then.
    for (int attempt = 0; attempt < 5; attempt++) {
      NativeLongByReference count = new NativeLongByReference();
      long rv = cryptoki.C_GetSlotList(CK_TRUE, null, count).longValue();
      if (rv != CKR_OK) {
        throw failed("C_GetSlotList", rv);
      }
      int n = count.getValue().intValue();
      if (n == 0) {
        return new NativeLong[0];
      }
      NativeLong[] slots = new NativeLong[n];
      for (int i = 0; i < n; i++) {
        slots[i] = new NativeLong(0);
      }
      rv = cryptoki.C_GetSlotList(CK_TRUE, slots, count).longValue();
      if (rv == CKR_OK) {
        return java.util.Arrays.copyOf(slots, count.getValue().intValue());
      }
      if (rv != CKR_BUFFER_TOO_SMALL) {
        throw failed("C_GetSlotList", rv);
      }
    }
    throw new IllegalStateException("the library's slot list kept changing while it was read");
  }

  /** The label field: UTF-8, padded with blanks (some libraries pad with zero bytes). */
  private static String label(byte[] info) {
    int end = LABEL_BYTES;
    while (end > 0 && (info[end - 1] == ' ' || info[end - 1] == 0)) {
      end--;
    }
    return new String(info, 0, end, StandardCharsets.UTF_8);
  }

  private static IllegalStateException failed(String function, long rv) {
    return new IllegalStateException(
        function + " failed with CKR 0x" + Long.toHexString(rv) + " while listing tokens");
  }
}
