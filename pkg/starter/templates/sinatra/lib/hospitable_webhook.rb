# frozen_string_literal: true

require 'openssl'
require 'rack/utils'

# Hospitable's webhook signature: the lowercase hex HMAC-SHA256 of the raw
# body bytes, keyed with the secret text as given (for personal use, the
# base64 of your primary email: that base64 text is the key, not the email).
module HospitableWebhook
  MAX_BODY = 5 * 1024 * 1024 # Hospitable documents no limit; deliveries are a few KB.
  SIGNATURE = /\A[0-9a-f]{64}\z/

  # Returns nil when header is the signature of body, else the reason.
  # body must be the raw request bytes (request.body.read), never
  # JSON.generate(JSON.parse(...)): that has other bytes.
  def self.verify(secret, body, header)
    return 'missing Signature header' if header.nil?
    # Servers join repeated headers with ", ", which the pattern refuses too.
    return 'malformed Signature header: want 64 lowercase hex digits' unless header.is_a?(String) && SIGNATURE.match?(header)

    expected = OpenSSL::HMAC.hexdigest('SHA256', secret, body)
    # secure_compare takes the same time wherever the first difference is;
    # both sides are 64 bytes here, so it cannot fail on the length.
    return 'signature does not match the body' unless Rack::Utils.secure_compare(expected, header)

    nil
  end

  # The secret from HOSPITABLE_WEBHOOK_SECRET; stops the process with a
  # clear message when it is missing.
  def self.secret_from_env!
    secret = ENV.fetch('HOSPITABLE_WEBHOOK_SECRET', '')
    if secret.empty?
      abort 'error: HOSPITABLE_WEBHOOK_SECRET is not set: set it to your webhook secret ' \
            '(personal use: the base64 of your primary email, which `hospitable-hook secret you@example.com` prints)'
    end
    if secret.strip != secret
      warn 'warning: HOSPITABLE_WEBHOOK_SECRET has surrounding whitespace; it is used byte for byte, ' \
           "so every signature will mismatch unless Hospitable's secret has it too"
    end
    secret
  end

  # Appends the id to HOSPITABLE_PROCESSED_LOG, when set, so that
  # `hospitable-hook check --observe` can count how often it was taken on.
  def self.record_processed(id)
    path = ENV.fetch('HOSPITABLE_PROCESSED_LOG', '')
    return if path.empty? || id.empty?

    File.open(path, 'a') do |f|
      f.flock(File::LOCK_EX)
      f.write("#{id}\n")
    end
  end
end
