package io.peerd.chain;

/** Core's output descriptor checksum: 8 characters of a BCH code over the descriptor's characters. */
final class DescriptorChecksum {
  private static final String INPUT_CHARSET =
      "0123456789()[],'/*abcdefgh@:$%{}IJKLMNOPQRSTUVWXYZ&+-.;<=>?!^_|~ijklmnopqrstuvwxyzABCDEFGH`#\"\\ ";
  private static final String CHECKSUM_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  private static final long[] GENERATOR = {0xf5dee51989L, 0xa9fdca3312L, 0x1bab10e32dL, 0x3706b1677aL, 0x644d626ffdL};
  private static final int CHECKSUM_LENGTH = 8;

  private DescriptorChecksum() {}

  /** @throws IllegalArgumentException for a character descriptors cannot hold */
  static String of(String descriptor) {
    long c = 1;
    int group = 0;
    int groupCount = 0;
    for (int i = 0; i < descriptor.length(); i++) {
      int position = INPUT_CHARSET.indexOf(descriptor.charAt(i));
      if (position < 0) {
        throw new IllegalArgumentException("not a descriptor character: " + descriptor.charAt(i));
      }
      c = polymod(c, position & 31);
      group = group * 3 + (position >> 5);
      if (++groupCount == 3) {
        c = polymod(c, group);
        group = 0;
        groupCount = 0;
      }
    }
    if (groupCount > 0) {
      c = polymod(c, group);
    }
    for (int i = 0; i < CHECKSUM_LENGTH; i++) {
      c = polymod(c, 0);
    }
    c ^= 1;
    StringBuilder checksum = new StringBuilder(CHECKSUM_LENGTH);
    for (int i = 0; i < CHECKSUM_LENGTH; i++) {
      checksum.append(CHECKSUM_CHARSET.charAt((int) (c >> (5 * (7 - i))) & 31));
    }
    return checksum.toString();
  }

  private static long polymod(long c, int value) {
    long top = c >> 35;
    long next = ((c & 0x7ffffffffL) << 5) ^ value;
    for (int i = 0; i < GENERATOR.length; i++) {
      if (((top >> i) & 1) != 0) {
        next ^= GENERATOR[i];
      }
    }
    return next;
  }
}
