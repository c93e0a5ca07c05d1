# frozen_string_literal: true

# A Hospitable webhook receiver on Sinatra. It verifies every delivery on
# the raw body, answers 200 at once and hands the work to a background
# thread.
require 'json'
require 'sinatra/base'
require_relative 'lib/hospitable_webhook'

class HospitableApp < Sinatra::Base
  SECRET = HospitableWebhook.secret_from_env!

  # The ids taken on, so a retry (same id) is answered 200 without doing the
  # work twice; the mutex makes check-and-add one step, so two copies
  # arriving at the same moment cannot both pass. Its limits: it lives in
  # memory, so a restart forgets it, two processes (puma workers) do not
  # share it, and it grows with every delivery. In production, insert the id
  # into your database under a unique index, in the same transaction as the
  # work.
  SEEN = {}
  SEEN_LOCK = Mutex.new

  # Work runs on a background thread after the answer went out. In
  # production use a durable queue (Sidekiq, GoodJob, a jobs table): events
  # still in this queue are lost if the process stops.
  JOBS = Queue.new

  configure do
    set :show_exceptions, false
    set :logging, true
  end

  post '/webhooks/hospitable' do
    content_type :json
    # The raw bytes, before any JSON parsing: the signature covers exactly
    # these. Reading at most MAX_BODY + 1 bytes enforces the limit.
    halt 413, { error: 'body larger than 5 MiB' }.to_json if request.content_length.to_i > HospitableWebhook::MAX_BODY
    body = request.body.read(HospitableWebhook::MAX_BODY + 1) || ''
    halt 413, { error: 'body larger than 5 MiB' }.to_json if body.bytesize > HospitableWebhook::MAX_BODY

    problem = HospitableWebhook.verify(SECRET, body, request.env['HTTP_SIGNATURE'])
    if problem
      logger.warn("refused a delivery: #{problem}")
      halt 401, { error: problem }.to_json
    end
    event = begin
      JSON.parse(body)
    rescue JSON::ParserError
      halt 400, { error: 'signed, but not a JSON envelope' }.to_json
    end
    halt 400, { error: 'signed, but not a JSON envelope' }.to_json unless event.is_a?(Hash)
    id = event['id'].is_a?(String) ? event['id'] : ''
    duplicate = SEEN_LOCK.synchronize do
      seen = SEEN.key?(id)
      SEEN[id] = true unless id.empty? || seen
      seen
    end
    halt 200, { status: 'duplicate' }.to_json if duplicate

    HospitableWebhook.record_processed(id)
    JOBS << event
    # Every validly signed delivery gets 200, actions this code does not
    # know yet included: anything else makes Hospitable retry the same bytes.
    { status: 'accepted' }.to_json
  end

  # Where your code goes.
  def self.handle(event)
    case event['action']
    when 'reservation.created', 'reservation.updated', 'reservation.changed'
      puts "reservation event #{event['id']}: sync it to your system here"
    when 'message.created'
      puts "message event #{event['id']}: reply or notify here"
    else
      # Unknown or not yet interesting: acknowledged all the same.
      puts "no handler for #{event['action']} (#{event['id']}): ignored"
    end
  end

  Thread.new do
    loop do
      event = JOBS.pop
      begin
        handle(event)
      rescue StandardError => e # one bad event must not stop the worker
        warn "handling #{event['id']} failed: #{e.message}"
      end
    end
  end
end
