# Writes the UCI tables that NfmGen's tabular measurements use, once, from Debian's r-cran-mlbench (2.1-3):
#   Rscript tools/write_tables.R benchmarks/data
# The CSVs are committed (with benchmarks/data/README.md's attribution), so CI needs no R.
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) > 0) args[1] else "benchmarks/data"
suppressPackageStartupMessages(library(mlbench))

# R's names (x.box) as the UCI documentation writes them (x-box); the label column first, as in UCI's file.
data(LetterRecognition)
letter <- LetterRecognition
names(letter) <- gsub(".", "-", names(letter), fixed = TRUE)
write.csv(letter, file.path(out, "letter-recognition.csv"), row.names = FALSE, quote = FALSE)

# Wisconsin breast cancer (original): an Id, nine cytology scores 1-10, 16 missing Bare.nuclei (written empty), the class.
data(BreastCancer)
cancer <- BreastCancer
for (column in names(cancer)[2:10]) cancer[[column]] <- as.integer(as.character(cancer[[column]]))
write.csv(cancer, file.path(out, "breast-cancer-wisconsin.csv"), row.names = FALSE, quote = FALSE, na = "")
