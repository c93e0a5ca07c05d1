# frozen_string_literal: true

$stdout.sync = true
require_relative 'app'
run HospitableApp
