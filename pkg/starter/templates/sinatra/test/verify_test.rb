# frozen_string_literal: true

# ruby test/verify_test.rb: the signature check and the endpoint.
require 'minitest/autorun'
require 'json'
require 'openssl'
require 'rack/mock'

SECRET = 'dXNlckBleGFtcGxlLmNvbQ==' # base64 of user@example.com
ENV['HOSPITABLE_WEBHOOK_SECRET'] = SECRET
require_relative '../app'

# Escaped slashes and \u escapes, as Hospitable's sender writes them:
# re-encoding this body would change its bytes.
BODY = '{"id":"01JTESTTESTTESTTESTTESTTES","action":"reservation.created",' \
       '"data":{"url":"https:\/\/example.com","guest":"Jos\u00e9"},' \
       '"created":"2025-01-01T00:00:00Z","version":"1.0"}'

def sign(body, key = SECRET)
  OpenSSL::HMAC.hexdigest('SHA256', key, body)
end

class VerifyTest < Minitest::Test
  def test_accepts_the_signature_of_the_raw_bytes
    assert_nil HospitableWebhook.verify(SECRET, BODY, sign(BODY))
  end

  def test_refuses
    good = sign(BODY)
    {
      'missing' => [BODY, nil],
      'empty' => [BODY, ''],
      'short' => [BODY, good[0, 10]],
      'upper-case hex' => [BODY, good.upcase],
      'sha256= prefix' => [BODY, "sha256=#{good}"],
      'two headers, joined' => [BODY, "#{good}, #{good}"],
      're-encoded JSON' => [JSON.generate(JSON.parse(BODY)), good],
      'trailing newline' => ["#{BODY}\n", good],
      'decoded email as key' => [BODY, sign(BODY, 'user@example.com')]
    }.each do |name, (body, header)|
      refute_nil HospitableWebhook.verify(SECRET, body, header), name
    end
  end

  def test_endpoint
    app = Rack::MockRequest.new(HospitableApp)
    post = ->(body, sig) { app.post('/webhooks/hospitable', input: body, 'HTTP_SIGNATURE' => sig) }
    assert_equal 200, post.call(BODY, sign(BODY)).status
    assert_equal 200, post.call(BODY, sign(BODY)).status
    assert_equal 'duplicate', JSON.parse(post.call(BODY, sign(BODY)).body)['status']
    assert_equal 401, post.call(BODY, nil).status
    assert_equal 401, post.call(BODY, '0' * 64).status
  end
end
