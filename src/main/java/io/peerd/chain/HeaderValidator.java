package io.peerd.chain;

import io.peerd.wire.BlockHeader;
import io.peerd.wire.Hash;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Checks one header against its parent: proof of work, difficulty, time rules, version rules
 * after BIP34/66/65 and checkpoints. Stateless apart from the parameters and clock it is given.
 */
public final class HeaderValidator {
  private final NetworkParameters params;
  private final LongSupplier adjustedTimeSeconds;
  /** The checkpoints by height: every header is looked up, so not a scan of the list. */
  private final Map<Integer, Hash> checkpointHashes;

  /** @param adjustedTimeSeconds the network-adjusted clock, in seconds since the epoch */
  public HeaderValidator(NetworkParameters params, LongSupplier adjustedTimeSeconds) {
    this.params = params;
    this.adjustedTimeSeconds = adjustedTimeSeconds;
    this.checkpointHashes = params.checkpoints().stream()
        .collect(Collectors.toUnmodifiableMap(Checkpoint::height, Checkpoint::hash));
  }

  /** Context-free check: the header's hash meets its own bits, within the pow limit. */
  public void checkProofOfWork(BlockHeader header) throws VerificationException {
    if (!ProofOfWork.check(header.hash(), header.bits(), params.powLimit())) {
      throw new VerificationException("high-hash", "proof of work failed for " + header.hash());
    }
  }

  /** Every check of a header that extends {@code parent} (which must be known and valid). */
  public void check(BlockHeader header, HeaderNode parent) throws VerificationException {
    checkProofOfWork(header);
    checkContext(header, parent);
  }

  /** The checks that depend on the parent: everything but the header's own proof of work. */
  void checkContext(BlockHeader header, HeaderNode parent) throws VerificationException {
    int height = parent.height() + 1;
    checkBits(header, parent);
    checkTime(header, parent, height);
    checkVersion(header, height);
    checkCheckpoint(header, height);
  }

  private void checkBits(BlockHeader header, HeaderNode parent) throws VerificationException {
    int expected = Difficulty.nextBits(params, parent, header.time());
    if (header.bits() != expected) {
      throw new VerificationException("bad-diffbits", String.format(
          "header %s has bits %08x, expected %08x", header.hash(), header.bits(), expected));
    }
  }

  private void checkTime(BlockHeader header, HeaderNode parent, int height) throws VerificationException {
    long medianTimePast = parent.medianTimePast();
    if (header.time() <= medianTimePast) {
      throw new VerificationException("time-too-old",
          "header time " + header.time() + " is not after median time past " + medianTimePast);
    }
    long maxTime = adjustedTimeSeconds.getAsLong() + NetworkParameters.MAX_FUTURE_BLOCK_TIME_SECONDS;
    if (header.time() > maxTime) {
      throw new VerificationException("time-too-new",
          "header time " + header.time() + " is more than 2 hours ahead of " + (maxTime - 7200));
    }
    boolean periodStart = height % params.retargetIntervalBlocks() == 0;
    if (params.enforceBip94() && periodStart
        && header.time() < parent.header().time() - NetworkParameters.MAX_TIMEWARP_SECONDS) {
      throw new VerificationException("time-timewarp-attack",
          "first header of a period is more than 600 s before its parent");
    }
  }

  private void checkVersion(BlockHeader header, int height) throws VerificationException {
    int minimumVersion = height >= params.bip65Height() ? 4
        : height >= params.bip66Height() ? 3
        : height >= params.bip34Height() ? 2 : 1;
    if (header.version() < minimumVersion) {
      throw new VerificationException(String.format("bad-version(0x%08x)", header.version()),
          "version " + header.version() + " is below " + minimumVersion + " at height " + height);
    }
  }

  private void checkCheckpoint(BlockHeader header, int height) throws VerificationException {
    Hash checkpoint = checkpointHashes.get(height);
    if (checkpoint != null && !checkpoint.equals(header.hash())) {
      throw new VerificationException("checkpoint mismatch",
          "height " + height + " must be " + checkpoint + ", got " + header.hash());
    }
  }
}
